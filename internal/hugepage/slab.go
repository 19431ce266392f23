package hugepage

import "sync"

// Packed weights come in every size: most of ResNet-18's are under a
// megabyte (a 3x3 layer of 64 channels is 147 KB, and Winograd keeps 36
// matrices a layer), too small for Float32s to advise. On 4 KB pages the
// forwards of a model that reads them slowed down, every half second or
// so, to up to twice their time: ResNet-18 at batch 8 on one core ran in
// 95-105 ms, but every fourth forward took 160-270 ms (no page faults, no
// system time, both cores alike; onnxruntime, beside it on the other
// core, did not slow down). With the weights and arenas on huge pages
// the slowest of 50 forwards took 114-152 ms, and on two cores ResNet-50
// at batch 8 ran in 153-158 ms against 157-180. So Keep carves small
// buffers from shared chunks of huge pages.

// slabFloats is the size of a chunk: 32 MB. Smaller chunks make more of
// them for one model, and the allocator zeroes a chunk whole when it
// reuses memory for it: cnnc run on ResNet-18 peaked at 99.6 MB of RSS
// with 4 MB chunks, 100.4 with 8, 107.6 with 16 and 98.2-99.9 with 32
// (95.5-96.3 with every small buffer on 4 KB pages). A chunk holds whole
// huge pages only between its first and last 2 MB boundaries.
const slabFloats = 8 << 20

var slab struct {
	sync.Mutex
	free []float32 // the rest of the current chunk
}

// Keep returns a zeroed slice of n float32s for data that lives as long
// as the model holding it (packed weights): large ones as Float32s
// allocates them, small ones carved from chunks of huge pages, each of
// which stays allocated while any slice of it is in use. Slices start on
// 64-byte boundaries.
func Keep(n int) []float32 {
	if 4*n >= Min || n == 0 {
		return Float32s(n)
	}
	size := (n + 15) &^ 15
	slab.Lock()
	defer slab.Unlock()
	if len(slab.free) < size {
		slab.free = Float32s(slabFloats)
	}
	s := slab.free[:n:n]
	slab.free = slab.free[size:]
	return s
}
