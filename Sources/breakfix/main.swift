import BreakfixCLI

#if canImport(Glibc)
    import Glibc
#endif

// Line-buffered stdout so `PASS`/`FAIL` lines reach a CI log as they happen.
setvbuf(stdout, nil, _IOLBF, 0)
await BreakfixCommand.main()
