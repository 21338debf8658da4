/// A judgement of the machine after a prefix of the journal, git-bisect style.
enum PrefixVerdict: Equatable {
    case good
    case bad
    /// The prefix cannot be judged (`--run` exit 125).
    case skip
}
