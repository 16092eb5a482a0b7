"""sdks/clients/examples/quickstart.py — the node over gRPC from Python (grpcio).

Generate the stubs first, then run with them on PYTHONPATH:
  node sdks/clients/generate-clients.mjs python ./stigmem-py
  PYTHONPATH=./stigmem-py STIGMEM_TARGET=127.0.0.1:8765 STIGMEM_API_KEY=... python3 quickstart.py
"""
import os

import grpc
from stigmem.v1 import fact_pb2, facts_pb2, facts_pb2_grpc, node_pb2, node_pb2_grpc

target = os.environ.get("STIGMEM_TARGET", "127.0.0.1:8765")
auth = [("authorization", "Bearer " + os.environ["STIGMEM_API_KEY"])] if os.environ.get("STIGMEM_API_KEY") else []

with grpc.insecure_channel(target) as channel:
    info = node_pb2_grpc.NodeServiceStub(channel).GetNodeInfo(node_pb2.GetNodeInfoRequest(), timeout=10)
    print("node", info.node_id, "spec", info.spec)

    facts = facts_pb2_grpc.FactServiceStub(channel)
    value = fact_pb2.FactValue(type=fact_pb2.VALUE_TYPE_STRING, string_value="written from Python")
    written = facts.AssertFact(
        facts_pb2.AssertFactRequest(entity="user:py", relation="memory:note", value=value, source="agent:python", scope="local"),
        metadata=auth, timeout=10,
    )
    print("stored", written.fact.cid)

    page = facts.QueryFacts(facts_pb2.QueryFactsRequest(entity="user:py"), metadata=auth, timeout=10)
    assert [f.cid for f in page.facts] == [written.fact.cid]

    try:
        facts.GetFact(facts_pb2.GetFactRequest(id="00000000-0000-4000-8000-000000000000"), metadata=auth, timeout=10)
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.NOT_FOUND
        print("missing fact:", e.code().name, "-", e.details())
