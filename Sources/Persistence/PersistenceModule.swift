// The Fluent implementation of the Core stores lives in this module.
