//go:build amd64 && !purego

package kernel

//go:noescape
func maxAVX512(dst, a, b *float32, n int)

//go:noescape
func addAVX512(dst, a, b *float32, n int)

//go:noescape
func sigmoidAVX512(dst, src *float32, n int)

//go:noescape
func tanhAVX512(dst, src *float32, n int)

//go:noescape
func maxPoolAVX512(a *maxPoolArgs)

//go:noescape
func maxPoolS1AVX512(a *maxPoolS1Args)

//go:noescape
func maxPoolS2AVX512(a *maxPoolS1Args)

//go:noescape
func maxPoolS2K3AVX512(a *maxPoolS1Args)

//go:noescape
func maxPoolS1K3AVX512(a *maxPoolS1Args)

//go:noescape
func snStoreAVX512(a *snStoreArgs)

//go:noescape
func addReluAVX512(dst, a, b *float32, n int)

//go:noescape
func reluAVX512(x *float32, n int)

//go:noescape
func packRowsAVX512(a *packRowsArgs)
