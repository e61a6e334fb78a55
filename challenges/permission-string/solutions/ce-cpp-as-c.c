/* A C++ program submitted as C: <iostream> and std::string do not exist in C. */
#include <iostream>
#include <string>

int main() {
    int n;
    std::cin >> n;
    for (int i = 0; i < n; i++) {
        std::string kind, octal;
        std::cin >> kind >> octal;
        std::cout << kind << octal << "\n";
    }
    return 0;
}
