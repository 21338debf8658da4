import Foundation
import Testing

/// The validator itself: a checker that cannot fail proves nothing, so each rule is shown
/// rejecting a trace that breaks it.
@Suite struct TraceEventValidatorTests {
    struct Case: CustomStringConvertible, Sendable {
        var description: String
        var events: String
        var expected: String
    }

    static func trace(_ events: String) -> Data {
        Data("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\(events)]}".utf8)
    }

    static let slice = #"{"name":"a","ph":"X","ts":1,"dur":5,"pid":1,"tid":1}"#

    @Test func aWellFormedTraceHasNoProblems() {
        let events = [
            #"{"name":"process_name","ph":"M","ts":0,"pid":1,"tid":0,"args":{"name":"device nvme0"}}"#,
            #"{"name":"a","ph":"X","ts":1,"dur":9,"pid":1,"tid":1}"#,
            #"{"name":"b","ph":"X","ts":2,"dur":3,"pid":1,"tid":1}"#,
            #"{"name":"c","ph":"X","ts":10,"dur":1.5,"pid":1,"tid":1}"#,
            #"{"name":"f","ph":"i","ts":4,"s":"t","pid":1,"tid":2}"#,
            #"{"name":"o","ph":"B","ts":3,"pid":1,"tid":3}"#, #"{"name":"o","ph":"E","ts":7,"pid":1,"tid":3}"#,
        ]
        #expect(TraceEventValidator.problems(in: Self.trace(events.joined(separator: ","))) == [])
    }

    static let broken: [Case] = [
        Case(description: "not JSON", events: "{", expected: "not JSON"),
        Case(description: "X without dur", events: #"{"name":"a","ph":"X","ts":1,"pid":1,"tid":1}"#, expected: "dur is missing"),
        Case(description: "ts as text", events: #"{"name":"a","ph":"i","ts":"1","s":"t","pid":1,"tid":1}"#, expected: "ts is missing or not a number"),
        Case(description: "ts as boolean", events: #"{"name":"a","ph":"i","ts":true,"s":"t","pid":1,"tid":1}"#, expected: "ts is missing or not a number"),
        Case(description: "no tid", events: #"{"name":"a","ph":"i","ts":1,"s":"t","pid":1}"#, expected: "tid is missing"),
        Case(description: "instant without scope", events: #"{"name":"a","ph":"i","ts":1,"pid":1,"tid":1}"#, expected: "s is not g, p or t"),
        Case(description: "negative ts", events: #"{"name":"a","ph":"X","ts":-1,"dur":1,"pid":1,"tid":1}"#, expected: "is negative"),
        Case(description: "B without E", events: #"{"name":"a","ph":"B","ts":1,"pid":1,"tid":1}"#, expected: "B without E"),
        Case(description: "E before B", events: #"{"name":"a","ph":"E","ts":1,"pid":1,"tid":1},{"name":"a","ph":"B","ts":2,"pid":1,"tid":1}"#,
             expected: "without an open B"),
        Case(description: "crossed B/E", events: """
            {"name":"a","ph":"B","ts":1,"pid":1,"tid":1},{"name":"b","ph":"B","ts":2,"pid":1,"tid":1},\
            {"name":"a","ph":"E","ts":3,"pid":1,"tid":1},{"name":"b","ph":"E","ts":4,"pid":1,"tid":1}
            """, expected: "closes B 'b'"),
        Case(description: "overlapping X", events: slice + #",{"name":"b","ph":"X","ts":3,"dur":5,"pid":1,"tid":1}"#,
             expected: "overlaps event 0"),
        Case(description: "metadata without a name", events: #"{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":1,"args":{}}"#,
             expected: "without args.name"),
    ]

    @Test(arguments: broken)
    func aBrokenRuleIsReported(_ broken: Case) {
        let problems = TraceEventValidator.problems(in: Self.trace(broken.events))
        #expect(problems.contains { $0.contains(broken.expected) }, "\(problems)")
    }

    /// The same slices on two tracks do not overlap: overlap is judged per (pid, tid).
    @Test func overlapOnAnotherTrackIsFine() {
        let other = #"{"name":"b","ph":"X","ts":3,"dur":5,"pid":1,"tid":2}"#
        #expect(TraceEventValidator.problems(in: Self.trace(Self.slice + "," + other)) == [])
    }
}
