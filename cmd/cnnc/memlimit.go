package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/compiler"
)

// Every command that allocates for a model (check, run, init, bench, eval)
// takes --memory-limit: the compiler refuses a model whose parameters and
// activations at batch 1 exceed it, and run, eval and bench refuse a batch
// whose weights, arena, inputs and outputs do.

// A memoryLimit is --memory-limit's value: a size such as 20GiB or 512MB,
// or 0 or none for no limit; unset, compiler.DefaultMemoryLimit.
type memoryLimit struct {
	bytes int64
	set   bool
}

const memoryLimitUsage = "refuse models and batches that need more than `SIZE`, such as 512MB or 20GiB (default 20GiB; 0 or none: no limit)"

// addMemoryLimit defines --memory-limit on fs, into c.memLimit.
func (c *cli) addMemoryLimit(fs *flag.FlagSet) {
	fs.Var(&c.memLimit, "memory-limit", memoryLimitUsage)
}

// String is "" unset, so that flag's defaults leave it out: the usage
// says the default.
func (l *memoryLimit) String() string {
	switch {
	case l == nil || !l.set:
		return ""
	case l.bytes == 0:
		return "none"
	}
	return sizeText(l.bytes)
}

func (l *memoryLimit) Set(v string) error {
	b, err := parseSize(v)
	if err != nil {
		return err
	}
	l.bytes, l.set = b, true
	return nil
}

// limit is the limit in bytes: math.MaxInt64 for none.
func (l *memoryLimit) limit() int64 {
	switch {
	case !l.set:
		return compiler.DefaultMemoryLimit
	case l.bytes == 0:
		return math.MaxInt64
	}
	return l.bytes
}

// options are the compiler's options for the limit.
func (l *memoryLimit) options() *compiler.Options {
	return &compiler.Options{MemoryLimit: l.limit()}
}

// sizeUnits are the suffixes parseSize knows, lower-cased: SI and binary.
var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// parseSize reads a size in bytes: a number (decimals allowed) and a unit
// (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, any case), or none for 0.
func parseSize(v string) (int64, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	if s == "none" {
		return 0, nil
	}
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '-' && r != '+' })
	if i < 0 {
		i = len(s)
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	mult, ok := sizeUnits[unit]
	if !ok || num == "" {
		return 0, errors.New("want a size such as 512MB, 20GiB or 1000000, or 0 or none for no limit")
	}
	f, err := strconv.ParseFloat(num, 64)
	switch {
	case err != nil:
		return 0, errors.New("want a size such as 512MB, 20GiB or 1000000, or 0 or none for no limit")
	case f < 0:
		return 0, errors.New("must not be negative (0 or none: no limit)")
	case f*float64(mult) >= math.MaxInt64:
		return 0, errors.New("over 8 EiB (0 or none: no limit)")
	}
	return int64(f * float64(mult)), nil
}

// sizeText writes bytes as the compiler's MemoryLimit message does, and
// KiB and PiB besides.
func sizeText(b int64) string {
	switch {
	case b == math.MaxInt64:
		return "more than 8 EiB"
	case b >= 1<<50:
		return fmt.Sprintf("%.1f PiB", float64(b)/(1<<50))
	case b >= 1<<40:
		return fmt.Sprintf("%.1f TiB", float64(b)/(1<<40))
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", b)
}

// maxAddressable bounds what any batch may ask for, limit or none: far
// beyond any machine's memory, and far from overflowing a size.
const maxAddressable = 1 << 46

// checkBatch refuses to run m at batch n (extra bytes besides: outputs
// kept, raw images) when that needs more than the memory limit, with the
// figures and what to change.
func (c *cli) checkBatch(m *cnnc.Model, n int, extra int64) error {
	need, parts := batchMemory(m, n, extra)
	limit := min(c.memLimit.limit(), maxAddressable)
	if need <= limit {
		return nil
	}
	what := fmt.Sprintf("over the limit of %s; lower --batch, or raise --memory-limit (0 or none: no limit)", sizeText(limit))
	if limit == maxAddressable {
		what = fmt.Sprintf("over the %s any batch may take; lower --batch", sizeText(limit))
	}
	about := ""
	if strings.HasPrefix(parts, "about") {
		about = "about "
	}
	return fmt.Errorf("model %s at batch %d needs %s%s (%s), %s", m.Name, n, about, sizeText(need), parts, what)
}

// batchMemory is what a Run of m at batch n holds: the weights, the arena,
// the inputs and outputs, and extra; a size that would overflow is
// math.MaxInt64. parts says what it is made of.
func batchMemory(m *cnnc.Model, n int, extra int64) (int64, string) {
	perIO := m.Input.Numel() + m.Output.Numel()
	arena1 := m.ArenaBytes(1)
	weights := m.ParamBytes()
	// A bound first, from batch 1's figures, so that an absurd batch is
	// refused without planning it.
	per := satAdd(arena1, satMul(perIO, 4))
	if est := satMul(per, int64(n)); est > 2*maxAddressable {
		return est, fmt.Sprintf("about %s a sample", sizeText(per))
	}
	arena := m.ArenaBytes(n)
	ioBytes := satMul(satMul(perIO, 4), int64(n))
	need := satAdd(satAdd(weights, arena), satAdd(ioBytes, extra))
	return need, fmt.Sprintf("weights %s, activations %s, inputs and outputs %s", sizeText(weights), sizeText(arena), sizeText(satAdd(ioBytes, extra)))
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func satMul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

// validBatch checks a --batch value: at least 1.
func (c *cli) validBatch(n int) bool {
	if n < 1 {
		c.errorf("--batch must be at least 1, have %d", n)
		return false
	}
	return true
}
