package main

import "math"

func mathFloat32bits(f float32) uint32 { return math.Float32bits(f) }
func float32NaN() float32              { return float32(math.NaN()) }
func float32Inf() float32              { return float32(math.Inf(1)) }
