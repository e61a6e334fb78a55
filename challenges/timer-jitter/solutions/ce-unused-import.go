// Go refuses to compile a program with an unused import ("sort" imported and not used) or
// an unused variable.
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var n int
	fmt.Fscan(in, &n)
	xs := make([]float64, n)
	sum := 0.0
	for i := range xs {
		fmt.Fscan(in, &xs[i])
		sum += xs[i]
	}
	mean := sum / float64(n)
	acc := 0.0
	for _, x := range xs {
		acc += (x - mean) * (x - mean)
	}
	fmt.Printf("%.9f %.9f\n", mean, math.Sqrt(acc/float64(n)))
}
