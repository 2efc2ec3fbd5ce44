import Testing
@testable import Corpus

@Suite("PII redaction")
struct PIITests {
    func redact(_ text: String) -> (String, PIICounts) {
        var counts = PIICounts()
        let out = PIIRedactor.redact(text, counts: &counts)
        return (out, counts)
    }

    @Test("Planted e-mails, user names, IPv4/IPv6 addresses and keys are replaced by PI:<TAG> and counted")
    func planted() {
        let text = """
        Translators: Jane Doe <jane.doe@example.org>, bob@mail.example.co.uk.
        Follow @debian_admin for news; ping @ops-team too.
        The server listens on 192.168.1.20, the gateway is 10.0.0.1 and IPv6 2001:db8::ff00:42:8329 works.
        Use the key a1b2c3d4e5f6g7h8 or card 4111 1111 1111 1111; id 550E8400-E29B-41D4-A716-446655440000.
        """
        let (out, counts) = redact(text)
        #expect(counts[.email] == 2)
        #expect(counts[.user] == 2)
        #expect(counts[.ipAddress] == 3)
        #expect(counts[.key] == 3)
        for secret in ["jane.doe@", "bob@", "@debian_admin", "@ops-team", "192.168", "10.0.0.1", "2001:db8", "a1b2c3", "4111", "550E8400"] {
            #expect(!out.contains(secret), "\(secret) survived: \(out)")
        }
        #expect(out.contains("Translators: Jane Doe <PI:EMAIL>, PI:EMAIL."))
        #expect(out.contains("Follow PI:USER for news"))
        #expect(out.contains("listens on PI:IP_ADDRESS, the gateway is PI:IP_ADDRESS and IPv6 PI:IP_ADDRESS works."))
    }

    @Test("Dates, times, versions, years, numbers, paths and section numbers are untouched")
    func noFalsePositives() {
        let safe = [
            "Released on 2023-01-15 and again on 15/01/2023 or 01.02.2023.",
            "The 2021-2022 season, 12-2023, 2023-12, 1999/2000.",
            "Years 1999 2000 2001 were busy.",
            "At 2023-01-15T10:30:45Z the clock read 12:30:45.",
            "Version 1.2.3 of libfoo2 needs Python 3.11 and x86_64-linux-gnu.",
            "It costs 1 000 000 euros or 3,5 million.",
            "Edit /usr/share/doc/debian-handbook/html/en-US/index.html now.",
            "Le 14 juillet 1789, à 10 h 30.",
            "\n6.2.5.1. Pinning packages\n",
            "Call std::vector<int> or Foo::Bar in C++.",
            "email-like but not: user at example dot org",
        ]
        for text in safe {
            let (out, counts) = redact(text)
            #expect(out == text, "changed: \(text) → \(out)")
            #expect(counts.total == 0)
        }
    }

    @Test("Real fixture text: redaction only ever inserts PI: tags")
    func realText() {
        for text in Support.ddtpTexts("en").prefix(200) {
            let (out, counts) = redact(text)
            if counts.total == 0 { #expect(out == text) } else { #expect(out.contains("PI:")) }
        }
    }
}
