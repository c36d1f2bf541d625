// Command ssa-limit measures the API server's own limit for a set of objects (bench/fleet.sh): it server-side
// applies them, as field manager "groundwork" with force, through client-go with many parallel writers and no
// client-side rate limit, and prints the elapsed seconds.
//
//	ssa-limit -kubeconfig FILE -objects FILE [-writers 16]
//
// The objects file holds one JSON array per line: the objects of one environment, its Namespace first. Lines are
// handed to the writers in turn; within a line the objects are applied in order.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"

	"groundwork.dev/hack/tools/bench/internal/benchclient"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the API server")
	objects := flag.String("objects", "", "file of JSON arrays, one environment a line")
	writers := flag.Int("writers", 16, "parallel writers")
	flag.Parse()

	client := benchclient.Dynamic(*kubeconfig)

	var lines [][]json.RawMessage
	file, err := os.Open(*objects)
	benchclient.Check(err)
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	for scanner.Scan() {
		var env []json.RawMessage
		benchclient.Check(json.Unmarshal(scanner.Bytes(), &env))
		lines = append(lines, env)
	}
	benchclient.Check(scanner.Err())

	work := make(chan []json.RawMessage)
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for env := range work {
				for _, raw := range env {
					if err := apply(client, raw); err != nil {
						failed.Add(1)
						fmt.Fprintln(os.Stderr, err)
					}
				}
			}
		}()
	}
	for _, env := range lines {
		work <- env
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start)
	if failed.Load() > 0 {
		fmt.Fprintf(os.Stderr, "%d applies failed\n", failed.Load())
		os.Exit(1)
	}
	fmt.Printf("%.3f\n", elapsed.Seconds())
}

func apply(client dynamic.Interface, raw json.RawMessage) error {
	var object unstructured.Unstructured
	if err := object.UnmarshalJSON(raw); err != nil {
		return err
	}
	gvk := object.GroupVersionKind()
	resource := client.Resource(schema.GroupVersionResource{Group: gvk.Group, Version: gvk.Version, Resource: plural(gvk.Kind)})
	options := metav1.PatchOptions{FieldManager: "groundwork", Force: &[]bool{true}[0]}
	var err error
	if ns := object.GetNamespace(); ns != "" {
		_, err = resource.Namespace(ns).Patch(context.Background(), object.GetName(), types.ApplyPatchType, raw, options)
	} else {
		_, err = resource.Patch(context.Background(), object.GetName(), types.ApplyPatchType, raw, options)
	}
	return err
}

func plural(kind string) string {
	lower := strings.ToLower(kind)
	if strings.HasSuffix(lower, "y") {
		return lower[:len(lower)-1] + "ies"
	}
	return lower + "s"
}
