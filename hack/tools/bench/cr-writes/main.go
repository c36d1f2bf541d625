// Command cr-writes measures what the API server spends on the writes of ProductPlatforms that every product costs
// while a fleet converges (bench/cr-writes.sh, docs/performance.md): the create, the finalizer, and status patches
// (server-side apply, twice, and a JSON merge patch), each N times with 16 writers, as API server CPU per write
// read from /proc/<pid>/stat of the kube-apiserver process.
//
//	cr-writes -kubeconfig FILE -pid PID [-n 1000]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"groundwork.dev/hack/tools/bench/internal/benchclient"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the API server")
	pid := flag.Int("pid", 0, "pid of the kube-apiserver process")
	n := flag.Int("n", 1000, "products")
	flag.Parse()
	products := benchclient.Dynamic(*kubeconfig).Resource(schema.GroupVersionResource{Group: "groundwork.dev", Version: "v1alpha1", Resource: "productplatforms"})
	force := true
	ctx := context.Background()

	measure := func(what string, write func(i int) error) {
		before := cpuSeconds(*pid)
		start := time.Now()
		work := make(chan int)
		var failed sync.Map
		var wg sync.WaitGroup
		for w := 0; w < 16; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					if err := write(i); err != nil {
						failed.Store(i, err)
					}
				}
			}()
		}
		for i := 0; i < *n; i++ {
			work <- i
		}
		close(work)
		wg.Wait()
		failed.Range(func(_, err any) bool { benchclient.Check(err.(error)); return false })
		fmt.Printf("%-28s %6.2f s   API server %.2f ms CPU a write\n", what, time.Since(start).Seconds(),
			(cpuSeconds(*pid)-before)*1000/float64(*n))
	}
	name := func(i int) string { return fmt.Sprintf("crw-%05d", i) }
	// The bench's product (bench/fleet.sh): critical, two environments, a peer, an egress CIDR.
	product := func(i int) []byte {
		return []byte(fmt.Sprintf(`{"apiVersion":"groundwork.dev/v1alpha1","kind":"ProductPlatform","metadata":{"name":"%s"},"spec":{"team":"team-%d","tier":"critical","environments":[{"name":"prod"},{"name":"staging"}],"networking":{"allowIngressFrom":[{"product":"%s","ports":[8080]}],"allowEgressCIDRs":[{"cidr":"203.0.113.0/24","ports":[443]}]}}}`,
			name(i), i, name(i+1)))
	}
	condition := func(kind, reason, message string) string {
		return fmt.Sprintf(`{"type":"%s","status":"True","reason":"%s","message":"%s","lastTransitionTime":"2026-12-05T10:00:00Z","observedGeneration":1}`,
			kind, reason, message)
	}
	// A status of the shape groundwork writes for that product.
	status := func(i int, round string) []byte {
		conditions := []string{condition("Ready", "Reconciled", "All 22 objects are in place "+round), condition("InSync", "InSync", "No drift"),
			condition("NamespacesReady", "Ready", "prod and staging are ready"), condition("NetworkingReady", "Applied", "Networking policies applied in 2 namespaces"),
			condition("StorageReady", "Applied", "Quota and limits applied"), condition("LoggingReady", "Applied", "Logging configured"),
			condition("AccessReady", "Applied", "Team access bound")}
		return []byte(fmt.Sprintf(`{"apiVersion":"groundwork.dev/v1alpha1","kind":"ProductPlatform","metadata":{"name":"%s"},"status":{"observedGeneration":1,"standardRevision":"c222222","managedResources":22,"namespaces":[{"environment":"prod","name":"%s-prod","state":"Ready"},{"environment":"staging","name":"%s-staging","state":"Ready"}],"conditions":[%s]}}`,
			name(i), name(i), name(i), strings.Join(conditions, ",")))
	}
	measure("create (server-side apply)", func(i int) error {
		_, err := products.Patch(ctx, name(i), types.ApplyPatchType, product(i), metav1.PatchOptions{FieldManager: "bench", Force: &force})
		return err
	})
	measure("finalizer (merge patch)", func(i int) error {
		_, err := products.Patch(ctx, name(i), types.MergePatchType,
			[]byte(`{"metadata":{"finalizers":["productplatforms.groundwork.dev/finalizer"]}}`), metav1.PatchOptions{FieldManager: "groundwork"})
		return err
	})
	for _, round := range []string{"first", "second"} {
		measure("status (server-side apply)", func(i int) error {
			_, err := products.Patch(ctx, name(i), types.ApplyPatchType, status(i, round), metav1.PatchOptions{FieldManager: "groundwork", Force: &force}, "status")
			return err
		})
	}
	measure("status (merge patch)", func(i int) error {
		_, err := products.Patch(ctx, name(i), types.MergePatchType, status(i, "third"), metav1.PatchOptions{FieldManager: "groundwork"}, "status")
		return err
	})
}

func cpuSeconds(pid int) float64 {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	benchclient.Check(err)
	fields := strings.Fields(string(stat)[strings.LastIndex(string(stat), ")")+1:])
	user, _ := strconv.Atoi(fields[11])
	system, _ := strconv.Atoi(fields[12])
	return float64(user+system) / 100 // clock ticks (USER_HZ 100)
}
