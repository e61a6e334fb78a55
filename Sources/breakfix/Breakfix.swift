import BreakfixCLI

@main
enum Breakfix {
    static func main() async {
        await BreakfixCommand.main()
    }
}
