import sys


def render(kind, mode):
    out = [kind]
    for shift, special, mark in ((6, 0o4000, "s"), (3, 0o2000, "s"), (0, 0o1000, "t")):
        bits = (mode >> shift) & 7
        out.append("r" if bits & 4 else "-")
        out.append("w" if bits & 2 else "-")
        if mode & special:
            out.append(mark if bits & 1 else mark.upper())
        else:
            out.append("x" if bits & 1 else "-")
    return "".join(out)


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    res = []
    for i in range(n):
        kind = data[1 + 2 * i].decode()
        mode = int(data[2 + 2 * i], 8)
        res.append(render(kind, mode))
    sys.stdout.write("\n".join(res) + "\n")


main()
