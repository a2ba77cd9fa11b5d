import DellmCore
import DellmFleet
import DellmModel
import DellmSupport
import Foundation
import Testing

@Suite struct ConfigTests {
    func write(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dellm-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Passwords from secret files (as compose mounts them): used, and in no log line.
    @Test func passwordsComeFromFiles() throws {
        let redisSecret = try write("r3d!s pass\n"), dbSecret = try write("p@ss/word:1\n")
        let c = try FleetConfig(environment: ["DELLM_REDIS_URL": "redis://redis:6379", "DELLM_DATABASE_URL": "postgresql://dellm@db:5432/dellm",
                                              "DELLM_REDIS_PASSWORD_FILE": redisSecret, "DELLM_DATABASE_PASSWORD_FILE": dbSecret])
        #expect(try c.redisConfiguration().password == "r3d!s pass")
        #expect(c.databaseURL.hasSuffix("?password=p%40ss%2Fword%3A1"))
        #expect(!c.summary.contains("p%40ss") && !c.summary.contains("r3d!s"), "\(c.summary)")
        #expect(throws: ConfigurationError.self) { try FleetConfig(environment: ["DELLM_REDIS_PASSWORD_FILE": "/no/such/secret"]) }
        #expect(throws: ConfigurationError.self) { try FleetConfig(environment: ["DELLM_REDIS_PASSWORD_FILE": try write("")]) }
    }

    @Test func theShippedFileIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../config/dellm.yaml").standardized.path
        let c = try FleetConfig(environment: ["DELLM_CONFIG": path])
        #expect(c.namespace == "dellm")
        #expect(c.maxAttempts == 3)
        #expect(c.modelConcurrency == 4)
        // The shipped seed species are the built-in ones, and routing and evolution read their sections.
        #expect(c.species == Genome.seeds)
        #expect(c.router.strategy == .epsilonGreedy && c.router.epsilon == 0.1 && c.spotRate == 0.1)
        #expect(c.evolution.maxPerType == 6)
    }

    @Test func aBadSpeciesEntryIsRefusedWithItsPlace() throws {
        let path = try write("species:\n  - name: odd\n    specialization: poetry\n    prompts: [a, b]\n    temperatures: [0, 0]\n")
        #expect(throws: ConfigurationError.self) { try FleetConfig(environment: ["DELLM_CONFIG": path]) }
        do { _ = try FleetConfig(environment: ["DELLM_CONFIG": path]) } catch {
            #expect("\(error)".contains("species[0] (odd): specialization"))
        }
        let thompson = try FleetConfig(environment: ["DELLM_ROUTING": "thompson"])
        #expect(thompson.router.strategy == .thompson)
        #expect(throws: ConfigurationError.self) { try FleetConfig(environment: ["DELLM_ROUTING": "random"]) }
        #expect(throws: ConfigurationError.self) { try FleetConfig(environment: ["DELLM_SPOT_RATE": "2"]) }
    }

    @Test func theEnvironmentOverridesTheFile() throws {
        let path = try write("namespace: fromfile\nlimits:\n  max_attempts: 2\n")
        let c = try FleetConfig(environment: ["DELLM_CONFIG": path, "DELLM_MAX_ATTEMPTS": "5"])
        #expect(c.namespace == "fromfile")
        #expect(c.maxAttempts == 5)
    }

    @Test func anInvalidFileIsRefusedWithTheKeyAndTheReason() throws {
        let bad = try write("limits:\n  max_attempts: 0\n")
        #expect { try FleetConfig(environment: ["DELLM_CONFIG": bad]) } throws: {
            "\($0)".contains("limits.max_attempts must be an integer in 1…10 (got '0')")
        }
        let unknown = try write("modle:\n  url: x\n")
        #expect { try FleetConfig(environment: ["DELLM_CONFIG": unknown]) } throws: { "\($0)".contains("unknown key 'modle.url'") }
        let notYAML = try write("a: [unclosed\n")
        #expect { try FleetConfig(environment: ["DELLM_CONFIG": notYAML]) } throws: { "\($0)".contains("not valid YAML") }
        #expect(throws: ConfigurationError.self) { try FleetConfig(environment: ["DELLM_CONFIG": "/nonexistent.yaml"]) }
        #expect { try FleetConfig(environment: ["DELLM_MODEL_API": "grpc"]) } throws: { "\($0)".contains("DELLM_MODEL_API must be openai or ollama") }
        #expect { try FleetConfig(environment: ["DELLM_MODEL_API": "benchmark-instant"]) } throws: { "\($0)".contains("for benchmarks only") }
        #expect(try FleetConfig(environment: ["DELLM_MODEL_API": "benchmark-instant", "DELLM_BENCHMARK": "1"]).modelAPI == .benchmarkInstant)
    }

    @Test func summariesNeverShowPasswords() throws {
        let c = try FleetConfig(environment: ["DELLM_REDIS_URL": "redis://u:hunter2@127.0.0.1:6379",
                                              "DELLM_DATABASE_URL": "postgresql://dellm:hunter3@127.0.0.1/dellm"])
        #expect(!c.summary.contains("hunter2"))
        #expect(!c.summary.contains("hunter3"))
        #expect(try c.redisConfiguration().password == "hunter2")
    }
}
