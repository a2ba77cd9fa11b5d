import DellmCore
import DellmPostgres
import Foundation

/// Nodes: a node's heartbeat records it alive this minute and brings its uptime up to date.
public struct NodeStore: Sendable {
    public let db: PostgresConnection

    public init(db: PostgresConnection) {
        self.db = db
    }

    public func heartbeat(node: String, role: String, owner: String, species: String) async throws {
        try await db.withSession { s in
            try s.transaction { tx in
                // Sent together, with COMMIT: one round trip.
                tx.send("INSERT INTO users (id, runs_nodes) VALUES ($1, true) ON CONFLICT (id) DO UPDATE SET runs_nodes = true", [owner])
                tx.send("""
                    INSERT INTO nodes (id, role, owner_user, species) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (id) DO UPDATE SET last_seen = now()
                    """, [node, role, owner, species])
                tx.send("INSERT INTO node_heartbeats (node_id, minute) VALUES ($1, date_trunc('minute', now())) ON CONFLICT DO NOTHING", [node])
                // Uptime: the share of the last hour's minutes (or of its life, if younger) it was seen in.
                tx.send(NodeStore.uptimeSQL + " WHERE n.id = $1", [node])
                tx.send("DELETE FROM node_heartbeats WHERE node_id = $1 AND minute < now() - interval '2 hours'", [node])
            }
        }
    }
}

/// How the recorder may treat a node's stream.
public enum NodeStanding: Sendable, Equatable {
    /// Registered by the operator: its owner and species are the registration's.
    case registered(owner: String, species: String)
    /// Registered once, revoked since: its work is no longer read.
    case revoked
    /// Not registered (an open fleet accepts it; a registered-only fleet does not).
    case unknown
}

/// A registered node, for `ops nodes list`.
public struct NodeListing: Sendable, Equatable {
    public var id: String
    public var owner: String
    public var species: String
    public var types: String
    public var trust: Double
    public var verified: Int
    public var missed: Int
    public var lastSeen: String
    public var revoked: Bool
}

extension NodeStore {
    /// Registers (or re-registers, clearing a revocation) a node with its owner, types and species.
    public func register(node: String, owner: String, types: [TaskType], species: String) async throws {
        try await db.withSession { s in
            try s.transaction { tx in
                tx.send("INSERT INTO users (id, runs_nodes) VALUES ($1, true) ON CONFLICT (id) DO UPDATE SET runs_nodes = true", [owner])
                tx.send("""
                    INSERT INTO nodes (id, role, owner_user, species, types, registered_at) VALUES ($1, 'specialist', $2, $3, $4, now())
                    ON CONFLICT (id) DO UPDATE SET owner_user = $2, species = $3, types = $4, registered_at = now(), revoked_at = NULL
                    """, [node, owner, species, types.map(\.rawValue).joined(separator: ",")])
            }
        }
    }

    /// Revokes a node: true when it was registered and not revoked yet.
    public func revoke(node: String) async throws -> Bool {
        try await db.query("UPDATE nodes SET revoked_at = now() WHERE id = $1 AND registered_at IS NOT NULL AND revoked_at IS NULL",
                           [node]).affected == 1
    }

    public func standing(node: String) async throws -> NodeStanding {
        guard let r = try await db.query("SELECT owner_user, species, registered_at IS NOT NULL AS registered, revoked_at IS NOT NULL AS revoked FROM nodes WHERE id = $1",
                                         [node]).firstRecord else { return .unknown }
        if try r.decode("revoked", as: Bool.self) { return .revoked }
        guard try r.decode("registered", as: Bool.self) else { return .unknown }
        return .registered(owner: try r.decode("owner_user", as: String?.self) ?? "operator", species: try r.decode("species"))
    }

    /// Every registered node's standing, for the recorder.
    public func registry() async throws -> [String: (standing: NodeStanding, trust: TrustPolicy.Standing)] {
        var out: [String: (NodeStanding, TrustPolicy.Standing)] = [:]
        for r in try await db.query("""
            SELECT id, coalesce(owner_user, 'operator') AS owner, species, revoked_at IS NOT NULL AS revoked, trust, verified
            FROM nodes WHERE registered_at IS NOT NULL
            """).records {
            let standing: NodeStanding = try r.decode("revoked", as: Bool.self) ? .revoked : .registered(owner: try r.decode("owner"), species: try r.decode("species"))
            out[try r.decode("id")] = (standing, TrustPolicy.Standing(trust: try r.decode("trust"), verified: try r.decode("verified")))
        }
        return out
    }

    public func registered() async throws -> [NodeListing] {
        try await db.query("""
            SELECT id, coalesce(owner_user, '') AS owner, species, types, trust, verified, missed,
                   to_char(last_seen, 'YYYY-MM-DD HH24:MI:SS') AS last_seen, revoked_at IS NOT NULL AS revoked
            FROM nodes WHERE registered_at IS NOT NULL ORDER BY id
            """).records.map {
            NodeListing(id: try $0.decode("id"), owner: try $0.decode("owner"), species: try $0.decode("species"), types: try $0.decode("types"),
                        trust: try $0.decode("trust"), verified: try $0.decode("verified"), missed: try $0.decode("missed"),
                        lastSeen: try $0.decode("last_seen"), revoked: try $0.decode("revoked"))
        }
    }

    /// A task the node took and did not hand in before its deadline: counted, and in its trust's window
    /// as a failed verdict (it is reissued to another node).
    public func missed(node: String) async throws {
        try await db.query("""
            UPDATE nodes SET missed = missed + 1, recent_verdicts = right(recent_verdicts || '0', 100),
              trust = 0.6 * length(replace(right(recent_verdicts || '0', 100), '0', ''))::float8 / length(right(recent_verdicts || '0', 100))
                    + 0.3 * (correct::float8 / greatest(verified, 1)) + 0.1 * uptime
            WHERE id = $1
            """, [node])
    }

    /// A node's uptime brought up to date from its heartbeats of the last hour (or of its life, if
    /// younger), and its trust recomputed with it (0.6 × its window's pass share + 0.3 × its accuracy +
    /// 0.1 × uptime; a node without verdicts keeps its starting trust).
    static let uptimeSQL: String = {
        let uptime = """
            (SELECT least(1.0, count(h.minute)::float8 / greatest(1.0, least(60.0, extract(epoch FROM now() - n.first_seen) / 60.0)))
             FROM node_heartbeats h WHERE h.node_id = n.id AND h.minute > now() - interval '60 minutes')
            """
        return """
            UPDATE nodes n SET uptime = \(uptime),
              trust = CASE WHEN length(n.recent_verdicts) = 0 THEN n.trust
                           ELSE 0.6 * length(replace(n.recent_verdicts, '0', ''))::float8 / length(n.recent_verdicts)
                                + 0.3 * (n.correct::float8 / greatest(n.verified, 1)) + 0.1 * \(uptime) END
            """
    }()

    /// Offline nodes' uptime and trust decay: nodes not seen for two minutes are brought up to date (the
    /// coordinator's sweeper does this once a minute; heartbeats do it for the others). Returns how many.
    @discardableResult
    public func decayOffline() async throws -> Int {
        try await db.query(Self.uptimeSQL + " WHERE n.last_seen < now() - interval '2 minutes' AND n.uptime > 0").affected
    }
}
