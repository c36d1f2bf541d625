// Command kube-proxy is upstream's cmd/kube-proxy main, verbatim apart
// from this comment, built against k8s.io/kubernetes at the version pinned in
// ../../go.mod. See hack/README.md (node tools: hack/build-node-tools.sh).
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // for client metric registration
	_ "k8s.io/component-base/metrics/prometheus/version"  // for version metric registration
	"k8s.io/kubernetes/cmd/kube-proxy/app"
)

func main() {
	command := app.NewProxyCommand()
	code := cli.Run(command)
	os.Exit(code)
}
