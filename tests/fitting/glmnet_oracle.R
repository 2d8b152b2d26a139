# R glmnet as an oracle for tests/fitting/test_glmnet_r.py: one Rscript call runs a whole batch.
#
#   Rscript glmnet_oracle.R DIR
#
# DIR/manifest.csv has one row per problem: id, task ("fit" or "cv"), n, p, sparse (0/1),
# alpha, standardize (0/1), intercept (0/1), thresh. Per problem (plain text, %.17g):
#   <id>_X.txt       n rows of p numbers (dense), or "row col value" triplets, 1-based (sparse)
#   <id>_y.txt       n numbers
#   <id>_lambda.txt  the decreasing lambda grid, used as given
#   <id>_foldid.txt  (cv only) n fold ids in 1..K
# Writes, per problem:
#   <id>_coef.txt    (p + 1) rows x L columns: the intercepts, then the coefficients
#   <id>_cv.txt      (cv only) L rows: lambda cvm cvsd
# and DIR/versions.txt (R and glmnet versions).
suppressPackageStartupMessages({
  library(glmnet)
  library(Matrix)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript glmnet_oracle.R DIR")
dir <- args[[1]]
f <- function(id, what) file.path(dir, paste0(id, "_", what, ".txt"))
write_rows <- function(M, path) {
  M <- as.matrix(M)
  lines <- apply(M, 1, function(r) paste(sprintf("%.17g", r), collapse = " "))
  writeLines(lines, path)
}

options(warn = 2)  # a glmnet warning (e.g. maxit reached, path truncated) fails the batch
# A user grid is fitted in full (no early stop), but be explicit about the path-stopping rules.
glmnet.control(fdev = 0, devmax = 1)
man <- read.csv(file.path(dir, "manifest.csv"), stringsAsFactors = FALSE)
for (i in seq_len(nrow(man))) {
  m <- man[i, ]
  v <- scan(f(m$id, "X"), quiet = TRUE)
  if (m$sparse == 1) {
    t <- matrix(v, ncol = 3, byrow = TRUE)
    x <- sparseMatrix(i = t[, 1], j = t[, 2], x = t[, 3], dims = c(m$n, m$p))
  } else {
    x <- matrix(v, nrow = m$n, ncol = m$p, byrow = TRUE)
  }
  y <- scan(f(m$id, "y"), quiet = TRUE)
  lambda <- scan(f(m$id, "lambda"), quiet = TRUE)
  common <- list(x = x, y = y, family = "gaussian", alpha = m$alpha, lambda = lambda,
                 standardize = m$standardize == 1, intercept = m$intercept == 1,
                 thresh = m$thresh, maxit = 1e7)
  if (m$task == "cv") {
    foldid <- scan(f(m$id, "foldid"), quiet = TRUE)
    cvf <- do.call(cv.glmnet, c(common, list(foldid = foldid, type.measure = "mse")))
    write_rows(cbind(cvf$lambda, cvf$cvm, cvf$cvsd), f(m$id, "cv"))
    fit <- cvf$glmnet.fit
  } else {
    fit <- do.call(glmnet, common)
  }
  write_rows(rbind(fit$a0, as.matrix(fit$beta)), f(m$id, "coef"))
}
writeLines(c(R.version.string, paste("glmnet", as.character(packageVersion("glmnet")))),
           file.path(dir, "versions.txt"))
