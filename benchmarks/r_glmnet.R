# One timed R glmnet path for benchmarks/peers.py (class RGlmnet):
#
#   Rscript r_glmnet.R DIR ALPHA THRESH
#
# DIR holds the problem, written once by RGlmnet.prepare (little-endian float64, not timed):
#   meta.txt    "dense n p" or "sparse n p nnz"
#   X.f64       dense: the n x p matrix in column-major order; sparse: x.f64, i.i32, p.i32 (CSC, 0-based)
#   y.f64       n values
# and, per call, lambda.f64 (the decreasing grid, used as given). Only the glmnet() call is timed
# (after a two-lambda warm-up call); the time (s) goes to time.txt and the coefficients (p x L,
# column-major) to beta.f64.
suppressPackageStartupMessages({
  library(glmnet)
  library(Matrix)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- args[[1]]
alpha <- as.numeric(args[[2]])
thresh <- as.numeric(args[[3]])
rd <- function(name, n, what = "double", size = 8) {
  con <- file(file.path(dir, name), "rb")
  on.exit(close(con))
  readBin(con, what, n = n, size = size, endian = "little")
}
meta <- strsplit(readLines(file.path(dir, "meta.txt")), " ")[[1]]
n <- as.integer(meta[[2]])
p <- as.integer(meta[[3]])
if (meta[[1]] == "sparse") {
  nnz <- as.integer(meta[[4]])
  x <- new("dgCMatrix", i = rd("i.i32", nnz, "integer", 4), p = rd("p.i32", p + 1, "integer", 4),
           x = rd("x.f64", nnz), Dim = c(n, p))
} else {
  x <- matrix(rd("X.f64", n * p), n, p)
}
y <- rd("y.f64", n)
lambda <- rd("lambda.f64", file.size(file.path(dir, "lambda.f64")) / 8)
# With a user grid glmnet fits every lambda; the path-stopping rules are disabled all the same.
glmnet.control(fdev = 0, devmax = 1)
fit_path <- function(lam) {
  glmnet(x, y, family = "gaussian", alpha = alpha, lambda = lam, standardize = FALSE,
         intercept = FALSE, thresh = thresh, maxit = 1e8)
}
invisible(fit_path(lambda[seq_len(min(2, length(lambda)))]))  # warm-up (first-call page faults, lazy loading)
t0 <- Sys.time()
fit <- fit_path(lambda)
elapsed <- as.numeric(difftime(Sys.time(), t0, units = "secs"))
if (length(fit$lambda) != length(lambda)) {
  stop(sprintf("glmnet stopped the path early (%d of %d lambdas)", length(fit$lambda), length(lambda)))
}
writeLines(sprintf("%.9f", elapsed), file.path(dir, "time.txt"))
con <- file(file.path(dir, "beta.f64"), "wb")
writeBin(as.vector(as.matrix(fit$beta)), con, size = 8, endian = "little")
close(con)
