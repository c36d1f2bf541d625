// Package benchclient is what the benchmark programs share: a client-go client with no client-side rate limit,
// and the way they stop on an error.
package benchclient

import (
	"fmt"
	"os"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"
)

// Dynamic is a dynamic client for the API server of the kubeconfig, without client-go's rate limiter, so the API
// server alone sets the pace.
func Dynamic(kubeconfig string) dynamic.Interface {
	config, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	Check(err)
	config.QPS = -1 // no client-side rate limiter
	config.Burst = 0
	client, err := dynamic.NewForConfig(config)
	Check(err)
	return client
}

// Check prints the error and exits with 1.
func Check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
