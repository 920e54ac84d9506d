import Testing

@testable import Telemetry

@Suite("JSON string encoding")
struct JSONTextTests {
    @Test("escapes what JSON requires, passes the rest through", arguments: [
        ("plain", #""plain""#),
        ("quote \" and \\ backslash", #""quote \" and \\ backslash""#),
        ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("unicode é ✓ 🚀", #""unicode é ✓ 🚀""#),
        ("\u{2028}\u{2029}", #""\u2028\u2029""#),
        ("", #""""#),
    ])
    func quoting(_ input: String, _ expected: String) {
        #expect(JSONText.quoted(input) == expected)
    }

    @Test("a forged field cannot escape its string")
    func injection() {
        let hostile = #"x","level":"critical"#
        #expect(JSONText.quoted(hostile) == #""x\",\"level\":\"critical""#)
    }
}
