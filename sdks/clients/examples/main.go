// sdks/clients/examples/main.go — the node over Connect from Go (connect-go).
//
// Generate the packages into your module first (needs protoc-gen-go and
// protoc-gen-connect-go on PATH; protoc-gen-go-grpc for grpc-go stubs):
//
//	node sdks/clients/generate-clients.mjs go ./stigmempb --module example.com/you/app/stigmempb
//	STIGMEM_URL=http://127.0.0.1:8765 STIGMEM_API_KEY=... go run .
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"

	"connectrpc.com/connect"

	stigmemv1 "example.com/you/app/stigmempb/stigmem/v1"
	"example.com/you/app/stigmempb/stigmem/v1/stigmemv1connect"
)

func main() {
	base := os.Getenv("STIGMEM_URL")
	nodes := stigmemv1connect.NewNodeServiceClient(http.DefaultClient, base, connect.WithGRPC())
	info, err := nodes.GetNodeInfo(context.Background(), connect.NewRequest(&stigmemv1.GetNodeInfoRequest{}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("node", info.Msg.NodeId)

	facts := stigmemv1connect.NewFactServiceClient(http.DefaultClient, base)
	req := connect.NewRequest(&stigmemv1.GetFactRequest{Id: "00000000-0000-4000-8000-000000000000"})
	req.Header().Set("Authorization", "Bearer "+os.Getenv("STIGMEM_API_KEY"))
	if _, err := facts.GetFact(context.Background(), req); err != nil {
		fmt.Println("missing fact:", connect.CodeOf(err)) // not_found; ErrorInfo.reason is in connect.AsError(err).Details()
	}
}
