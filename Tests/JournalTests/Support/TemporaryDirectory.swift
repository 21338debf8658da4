import TestSupport

/// The shared scratch directory (Tests/TestSupport), named for every file of this suite.
typealias TemporaryDirectory = TestSupport.TemporaryDirectory
