package cnnc

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/tensor"

	"github.com/cnnc/cnnc/runtime"
	"github.com/cnnc/cnnc/runtime/kernel"
)

// BLAS is gonum's BLAS with its single-precision matrix product replaced
// by cnnc's packed AVX-512 SGEMM, for gorgonia.org/tensor's MatMul and the
// other float32 products: UseBLAS installs it. Products with transposed
// operands, a scale other than 1 or an accumulating C go to gonum.
type BLAS struct {
	gonum.Implementation
}

// UseBLAS makes gorgonia.org/tensor compute float32 matrix products with
// cnnc's kernels (tensor.Use).
func UseBLAS() { tensor.Use(BLAS{}) }

// Sgemm computes C = alpha * op(A) * op(B) + beta * C.
func (b BLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	bm []float32, ldb int, beta float32, c []float32, ldc int) {
	if tA != blas.NoTrans || tB != blas.NoTrans || alpha != 1 || beta != 0 || m == 0 || n == 0 || k == 0 ||
		len(a) < (m-1)*lda+k || len(bm) < (k-1)*ldb+n || len(c) < (m-1)*ldc+n {
		b.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, bm, ldb, beta, c, ldc)
		return
	}
	pool := runtime.SharedPool() // the models' workers: no second set of threads
	pa := kernel.PackAOn(pool, m, k, a, lda)
	scratch := make([]float32, pa.ScratchSize(pool.Workers()))
	pa.Mul(pool, c, ldc, bm, ldb, n, kernel.GemmEpilogue{}, scratch)
}
