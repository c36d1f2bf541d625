// Command etcd is upstream's go.etcd.io/etcd/server/v3 main, built against the
// etcd server version pinned in ../../go.mod (the one k8s.io/kubernetes uses).
// See hack/README.md.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
