#pragma once
// The HTTP/1.1 server (Boost.Beast): JSON in and out, problem+json errors, body limits,
// file bodies (uploads) streamed to disk,
// read and idle timeouts, keep-alive, graceful shutdown. It knows routes, not plugins.
// Route handlers run on their own threads, so a busy server still reads, refuses and answers
// immediate routes (health) at once.

#include "http/router.hpp"

#include <tessera/result.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace tessera::host::http {

struct ServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: any free port (see Server::port())
    std::int64_t maxBodyBytes = 1024 * 1024;  // JSON bodies
    std::int64_t maxUploadBytes = std::int64_t{1} << 30;  // bodies of file routes (uploads)
    std::string uploadDir;  // where file routes' bodies are streamed to; empty: file routes answer 503
    std::chrono::milliseconds readTimeout{15000};
    std::chrono::milliseconds idleTimeout{60000};
    int threads = 2;  // network (io) threads, and as many threads for route handlers
};

class Server {
public:
    Server(ServerOptions options, const Router& router);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds and listens; fails with code "http.listen" and the reason (address in use ...).
    tessera::Status listen();
    std::uint16_t port() const;
    /// Serves until stop() or one of SIGINT/SIGTERM (if stopOnSignals()); blocks.
    void run();
    /// Arms SIGINT and SIGTERM to call stop(grace).
    void stopOnSignals(std::chrono::milliseconds grace);
    /// Thread-safe. Stops accepting, lets requests in flight finish within `grace`, then
    /// closes every connection; run() returns.
    void stop(std::chrono::milliseconds grace);

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::host::http
