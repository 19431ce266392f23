//go:build !amd64 || purego

package kernel

import "unsafe"

const haveAsm = false

func sgemmAVX512x8(a, b, c unsafe.Pointer, p *kparams)     { panic("unreachable") }
func sgemmAVX512x12(a, b, c unsafe.Pointer, p *kparams)    { panic("unreachable") }
func sgemmAVX512x7(a, b, c unsafe.Pointer, p *kparams)     { panic("unreachable") }
func sgemmAVX512x8x16(a, b, c unsafe.Pointer, p *kparams)  { panic("unreachable") }
func sgemmAVX512x8i(a, b, c unsafe.Pointer, p *kparams)    { panic("unreachable") }
func sgemmAVX512x8x16i(a, b, c unsafe.Pointer, p *kparams) { panic("unreachable") }
func sgemmAVX512x7i(a, b, c unsafe.Pointer, p *kparams)    { panic("unreachable") }
func sgemmAVX2x6(a, b, c unsafe.Pointer, p *kparams)       { panic("unreachable") }

func winoInAVX512(a *winoInArgs)   { panic("unreachable") }
func winoOutAVX512(a *winoOutArgs) { panic("unreachable") }

func gemvAVX512x1(a *gemvArgs) { panic("unreachable") }
func gemvAVX512x4(a *gemvArgs) { panic("unreachable") }

func gatherS2AVX512(dst, src *float32, n int)        { panic("unreachable") }
func gatherSAVX512(dst, src *float32, n, stride int) { panic("unreachable") }

func gatherTabAVX512(dst, base *float32, tab *int32, n int) { panic("unreachable") }

func packTabRowAVX512(dst, base *float32, tab *int32, n, lane, pstride int) { panic("unreachable") }

func packRunAVX512(dst, src *float32, n, lane, pstride, step, pf int) { panic("unreachable") }

func maxAVX512(dst, a, b *float32, n int) { panic("unreachable") }
func addAVX512(dst, a, b *float32, n int) { panic("unreachable") }

func sigmoidAVX512(dst, src *float32, n int) { panic("unreachable") }
func tanhAVX512(dst, src *float32, n int)    { panic("unreachable") }

func maxPoolAVX512(a *maxPoolArgs)       { panic("unreachable") }
func maxPoolS1AVX512(a *maxPoolS1Args)   { panic("unreachable") }
func maxPoolS2AVX512(a *maxPoolS1Args)   { panic("unreachable") }
func maxPoolS2K3AVX512(a *maxPoolS1Args) { panic("unreachable") }
func maxPoolS1K3AVX512(a *maxPoolS1Args) { panic("unreachable") }

func snStoreAVX512(a *snStoreArgs) { panic("unreachable") }

func addReluAVX512(dst, a, b *float32, n int) { panic("unreachable") }
func reluAVX512(x *float32, n int)            { panic("unreachable") }

func packRowsAVX512(a *packRowsArgs) { panic("unreachable") }
