package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
)

func main() {
	in := bufio.NewScanner(bufio.NewReaderSize(os.Stdin, 1<<20))
	in.Buffer(make([]byte, 1<<20), 1<<20)
	in.Split(bufio.ScanWords)
	next := func() int64 {
		in.Scan()
		v, err := strconv.ParseInt(in.Text(), 10, 64)
		if err != nil {
			panic(err)
		}
		return v
	}
	n := int(next())
	xs := make([]int64, n)
	var sum int64
	for i := range xs {
		xs[i] = next()
		sum += xs[i]
	}
	mean := float64(sum) / float64(n)
	acc := 0.0
	for _, x := range xs {
		d := float64(x) - mean
		acc += d * d
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	fmt.Fprintf(out, "%.9f %.9f\n", mean, math.Sqrt(acc/float64(n)))
}
