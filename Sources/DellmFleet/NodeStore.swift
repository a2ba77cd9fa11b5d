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
                tx.send("""
                    UPDATE nodes n SET uptime = (
                        SELECT least(1.0, count(h.minute)::float8 / greatest(1.0, least(60.0, extract(epoch FROM now() - n.first_seen) / 60.0)))
                        FROM node_heartbeats h WHERE h.node_id = n.id AND h.minute > now() - interval '60 minutes')
                    WHERE n.id = $1
                    """, [node])
                tx.send("DELETE FROM node_heartbeats WHERE node_id = $1 AND minute < now() - interval '2 hours'", [node])
            }
        }
    }
}
