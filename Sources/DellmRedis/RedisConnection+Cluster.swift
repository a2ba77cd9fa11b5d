import CHiredis

/// A connection to a Redis Cluster: one hiredis context per node, all owned by the connection's
/// lane like the single context (every function here runs on the lane). Each command goes to the
/// master of its key's slot; a pipeline is split per node and its replies put back in order; `MOVED`
/// updates the slot map and sends the command again, `ASK` sends it once with `ASKING`; a node that
/// cannot be reached drops the map, so the next call reads the topology again (after a failover the
/// promoted replica serves the slots), and the error goes to the caller, which retries it as it
/// retries any broken connection.
extension RedisConnection {
    static let maxRedirects = 5
    static let replicaWaitMilliseconds = 500

    /// The writes whose loss in a failover would lose work, so a batch holding one waits for a replica:
    /// new entries (a query, a task, an attempt), consumer groups, sets and marks. Not the writes whose
    /// loss only makes an entry delivered again — XREADGROUP and the first-entry script (a pending-list
    /// entry), XACK, XCLAIM, XAUTOCLAIM — nor trimming: a redelivery is answered again and recorded
    /// once, as after any crash. (Waiting after every read cost a WAIT and a replica's REPLCONF ACK per
    /// read: 83 WAITs per query with 3 partitions, `./ops/bench --cluster`.)
    static func losesWork(_ command: [String]) -> Bool {
        guard let name = command.first?.uppercased() else { return false }
        return ["XADD", "XGROUP", "XSETID", "XDEL", "SET", "DEL", "SADD", "SREM", "EXPIRE", "PEXPIRE", "INCR", "INCRBY", "HSET", "HDEL"].contains(name)
    }

    func clusterPipeline(_ commands: [[String]], timeoutMilliseconds: Int) throws -> [RedisValue] {
        let map = try currentSlotMap()
        var replies = [RedisValue](repeating: .null, count: commands.count)
        var routed: [Int] = []
        for (i, command) in commands.enumerated() {
            if Self.isBroadcast(command) {
                replies[i] = try broadcast(command, to: try everyNode(map, timeoutMilliseconds: timeoutMilliseconds), timeoutMilliseconds: timeoutMilliseconds)
                continue
            }
            if let parts = ClusterSlots.splitRead(command), parts.count > 1 {
                replies[i] = try splitRead(parts, in: map, timeoutMilliseconds: timeoutMilliseconds)
                continue
            }
            routed.append(i)
        }
        for (node, indices) in ClusterSlots.grouped(routed, by: { target(of: commands[$0], in: map) }) {
            var batch = indices.map { commands[$0] }
            // Replication is asynchronous: a write the master acknowledged and had not yet sent to its
            // replica is lost when the replica takes over. WAIT in the same round trip returns once a
            // replica has the batch (or after `replicaWaitMilliseconds`), so a reply means "on two nodes".
            let waits = !(map.replicas[node] ?? []).isEmpty && batch.contains(where: Self.losesWork)
            if waits { batch.append(["WAIT", "1", String(Self.replicaWaitMilliseconds)]) }
            let out = try send(batch, to: node, timeoutMilliseconds: timeoutMilliseconds + (waits ? Self.replicaWaitMilliseconds : 0))
            for (k, i) in indices.enumerated() { replies[i] = out[k] }
        }
        for i in replies.indices {
            replies[i] = try followingRedirects(commands[i], replies[i], timeoutMilliseconds: timeoutMilliseconds)
        }
        return replies
    }

    /// The master of the command's slot (by its key, or by the hash tag of its MATCH pattern); a
    /// command without keys goes to the first master.
    func target(of command: [String], in map: ClusterSlots.Map) -> ClusterSlots.Node {
        let slot = ClusterSlots.key(of: command).map(ClusterSlots.slot(of:)) ?? ClusterSlots.patternSlot(of: command)
        if let slot, let owner = map.owners[slot] { return owner }
        return map.masters.first ?? configuration.seeds[0]
    }

    /// A read of streams in several slots (XREADGROUP/XREAD … STREAMS a b … ids): without BLOCK, each
    /// slot's part is read in turn and the replies merged; with BLOCK, all parts block at once on their
    /// masters and the first reply wakes the rest (`blockingSplitRead`).
    func splitRead(_ parts: [[String]], in map: ClusterSlots.Map, timeoutMilliseconds: Int) throws -> RedisValue {
        if let block = ClusterSlots.blockMilliseconds(parts[0]) {
            return try blockingSplitRead(parts, block: block, in: map, timeoutMilliseconds: timeoutMilliseconds)
        }
        var merged: [RedisValue] = []
        for part in parts {
            let reply = try followingRedirects(part, try send([part], to: target(of: part, in: map), timeoutMilliseconds: timeoutMilliseconds)[0],
                                               timeoutMilliseconds: timeoutMilliseconds)
            if case .error = reply { return reply }
            merged += reply.array ?? []
        }
        return merged.isEmpty ? .null : .array(merged)
    }

    /// Keys grouped by the master that serves them (in the current slot map), the masters in the order of
    /// their first key and each group in the keys' order. One group of all keys when not on a cluster.
    public func groupedByMaster(_ keys: [String]) async throws -> [[String]] {
        guard configuration.cluster else { return keys.isEmpty ? [] : [keys] }
        return try await onLane { [self] in
            let map = try currentSlotMap()
            return ClusterSlots.grouped(keys) { map.owners[ClusterSlots.slot(of: $0)] ?? map.masters.first ?? configuration.seeds[0] }.map(\.items)
        }
    }

    /// Users are per node in a cluster (ACL SETUSER is not propagated): such commands go to every node.
    static func isBroadcast(_ command: [String]) -> Bool {
        guard command.count > 1, command[0].uppercased() == "ACL" else { return false }
        return ["SETUSER", "DELUSER", "SAVE", "LOAD"].contains(command[1].uppercased())
    }

    /// Every reachable node, replicas included, as CLUSTER NODES lists them (a replica still syncing is
    /// not yet in CLUSTER SLOTS, and a user it lacks is refused once it is promoted).
    func everyNode(_ map: ClusterSlots.Map, timeoutMilliseconds: Int) throws -> [ClusterSlots.Node] {
        let first = map.masters.first ?? configuration.seeds[0]
        guard case .bulk(let text) = try send([["CLUSTER", "NODES"]], to: first, timeoutMilliseconds: timeoutMilliseconds)[0] else { return map.nodes }
        let nodes = ClusterSlots.reachableNodes(clusterNodes: text, fallbackHost: first.host)
        return nodes.isEmpty ? map.nodes : nodes
    }

    func broadcast(_ command: [String], to nodes: [ClusterSlots.Node], timeoutMilliseconds: Int) throws -> RedisValue {
        var first: RedisValue?
        for node in nodes {
            let reply = try send([command], to: node, timeoutMilliseconds: timeoutMilliseconds)[0]
            if case .error = reply { return reply }
            first = first ?? reply
        }
        return first ?? .error("ERR no cluster node known")
    }

    func followingRedirects(_ command: [String], _ reply: RedisValue, timeoutMilliseconds: Int) throws -> RedisValue {
        var reply = reply
        for _ in 0..<Self.maxRedirects {
            guard case .error(let e) = reply, let redirect = ClusterSlots.Redirect(error: e) else { return reply }
            switch redirect {
            case .moved(let slot, let node):
                slotMap?.owners[slot] = node
                reply = try send([command], to: node, timeoutMilliseconds: timeoutMilliseconds)[0]
            case .ask(_, let node):
                reply = try send([["ASKING"], command], to: node, timeoutMilliseconds: timeoutMilliseconds)[1]
            }
        }
        return reply
    }

    /// Sends commands to one node in one round trip. A broken connection drops that node's context
    /// and the slot map (the topology may have changed) and is thrown.
    func send(_ commands: [[String]], to node: ClusterSlots.Node, timeoutMilliseconds: Int) throws -> [RedisValue] {
        do {
            let c = try nodeContexts[node] ?? open(host: node.host, port: node.port)
            nodeContexts[node] = c
            return try exchange(c, commands, timeoutMilliseconds: timeoutMilliseconds)
        } catch let error as RedisError where error.kind == .connection {
            if let c = nodeContexts.removeValue(forKey: node) { redisFree(c) }
            slotMap = nil
            throw RedisError(.connection, "cluster node \(node): \(error.message)")
        }
    }

    /// The slot map, read with CLUSTER SLOTS from the first node that answers: the nodes known from
    /// the last map, then the seeds.
    func currentSlotMap() throws -> ClusterSlots.Map {
        if let slotMap { return slotMap }
        var lastError: Error = RedisError(.connection, "no cluster seed given")
        for node in Array(nodeContexts.keys) + configuration.seeds {
            do {
                let reply = try send([["CLUSTER", "SLOTS"]], to: node, timeoutMilliseconds: configuration.connectTimeoutMilliseconds)[0]
                if case .error(let e) = reply { throw RedisError(.server, "CLUSTER SLOTS at \(node): \(e)") }
                let map = try ClusterSlots.Map(slotsReply: reply, fallbackHost: node.host)
                guard !map.masters.isEmpty else { throw RedisError(.connection, "cluster at \(node) serves no slot yet") }
                slotMap = map
                return map
            } catch {
                lastError = error
            }
        }
        throw lastError
    }
}
