/// How the probe events are defined on this kernel.
public enum ProbeStyle: Equatable, Sendable {
    /// fprobe events with BTF argument names (CONFIG_FPROBE_EVENTS,
    /// CONFIG_PROBE_EVENTS_BTF_ARGS, CONFIG_DEBUG_INFO_BTF): `f:GROUP/EVENT FUNC dev=dev->kobj.name:string …`.
    case fprobe
    /// kprobe events (CONFIG_KPROBE_EVENTS) reading the architecture's argument
    /// registers and struct offsets: `p:GROUP/EVENT FUNC dev=+0(+0(%di)):string …`.
    case kprobe(ArgumentRegisters)

    public var label: String {
        switch self {
        case .fprobe: return "fprobe events with BTF argument names"
        case .kprobe(let registers): return "kprobe events with \(registers.machine) argument registers"
        }
    }
}

/// The `dynamic_events` lines that define the probes, and those that remove them.
public enum ProbeDefinitions {
    /// One definition line per event, in `IOVAProbes.events` order.
    public static func lines(_ style: ProbeStyle, group: String = IOVAProbes.group) -> [(event: String, line: String)] {
        IOVAProbes.events.map { event in (event.name, line(event, style, group: group)) }
    }

    /// `-:GROUP/EVENT`: removes one event (`dyn_event_release()`).
    public static func removal(group: String = IOVAProbes.group, event: String) -> String { "-:\(group)/\(event)" }

    static func line(_ event: IOVAProbes.Event, _ style: ProbeStyle, group: String) -> String {
        var words: [String] = []
        switch style {
        case .fprobe:
            words.append("f:\(group)/\(event.name)")
            words.append(event.returns ? event.function + "%return" : event.function)
        case .kprobe:
            words.append("\(event.returns ? "r" : "p"):\(group)/\(event.name)")
            words.append(event.function)
        }
        for field in event.fields { words.append("\(field.name)=\(fetch(field.value, style, atReturn: event.returns)):\(field.type)") }
        return words.joined(separator: " ")
    }

    /// The fetch argument of one field. A kretprobe (`r:`) reads entry arguments as
    /// `$argN`, saved at entry (kernel 6.9+, "kernel return probes support: $retval,
    /// $arg<N>" in tracefs's README); registers would hold other values by then.
    static func fetch(_ value: IOVAProbes.Value, _ style: ProbeStyle, atReturn: Bool) -> String {
        switch style {
        case .fprobe:
            switch value {
            case .argument(_, let name): return name
            case .member(_, let name, let field, _): return "\(name)->\(field)"
            case .deviceName(_, let name): return "\(name)->kobj.name"
            case .returnValue: return "$retval"
            }
        case .kprobe(let registers):
            func argument(_ number: Int) -> String { atReturn ? "$arg\(number)" : registers.argument(number) }
            switch value {
            case .argument(let number, _): return argument(number)
            case .member(let number, _, _, let offset): return "+\(offset)(\(argument(number)))"
            case .deviceName(let number, _): return "+0(+0(\(argument(number))))"
            case .returnValue: return "$retval"
            }
        }
    }
}
