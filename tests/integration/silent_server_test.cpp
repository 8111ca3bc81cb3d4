// A --db server that accepts TCP and never answers (a stuck proxy, a firewall
// that holds the connection) must not hang pgadvisor (issue 16, time): libpq
// waits forever without connect_timeout, so pgadvisor sets one unless the user does.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "throwaway_pg.hpp"

using namespace pgadvisor::test;

namespace {

// A socket that listens on a loopback port and never accepts: the kernel completes
// the handshake, nothing ever answers libpq's startup packet.
struct SilentServer {
    int fd = -1;
    int port = 0;
    SilentServer() {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd, 8) == 0);
        socklen_t len = sizeof a;
        REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        port = ntohs(a.sin_port);
    }
    ~SilentServer() { ::close(fd); }
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;
};

}  // namespace

TEST_CASE("a server that never answers gives up after the default connect_timeout, exit 2",
          "[integration][cli][timeout]") {
    SilentServer silent;
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_pgadvisor("schema --db 'host=127.0.0.1 port=" + std::to_string(silent.port) +
                                 " dbname=app user=app password=pw-never-shown'");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK(seconds < 30);  // before: no end at all
    CHECK(r.output.find("timeout") != std::string::npos);
    CHECK(r.output.find("port=" + std::to_string(silent.port)) != std::string::npos);
    CHECK(r.output.find("pw-never-shown") == std::string::npos);
}
