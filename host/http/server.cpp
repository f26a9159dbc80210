#include "http/server.hpp"

#include "http/byte_range.hpp"

#include "runtime/json_text.hpp"
#include "runtime/language.hpp"
#include "runtime/log.hpp"
#include "runtime/messages.hpp"
#include "runtime/storage_error.hpp"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QStringView>

#include <tessera/text.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/basic_file_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/optional.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ctime>
#include <filesystem>
#include <random>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

// Threading: one io_context run by `threads` threads. The acceptor, the signal set and the
// grace timer live on one strand; every connection has its own strand, so a connection's
// handlers never run concurrently and need no locks. Route handlers, which may wait on the
// database or the disk, run on a pool of `threads` handler threads and hand their answer
// back to the connection's strand: however busy the handlers are, the io threads go on
// reading, writing, refusing, and answering immediate routes (health) at once. The only
// lock is the set of live connections, taken when a connection opens or closes and at stop,
// never per request.
//
// Methods: GET, POST, PUT, PATCH and DELETE reach the router. Other methods Beast knows
// (HEAD, OPTIONS, TRACE, WebDAV verbs ...) get 405 with Allow when the path has routes,
// and 404 when it has none; verbs Beast does not know at all get 501 Not Implemented,
// as RFC 9110 asks for methods a server does not recognise.

namespace tessera::host::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Headers above this are refused with 431; generous for cookies and tokens.
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// After an error that leaves request bytes unread we stop sending and discard what the
// client still sends for at most this long before closing. Closing with unread input
// makes the kernel send a reset, which can destroy the error response before the client
// reads it (nginx calls this "lingering close").
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr std::size_t kReadChunk = 8 * 1024;
// An upload's body is read into a buffer this large (the most Beast reads at a time): with
// kReadChunk it took a read, a timer and a write per 8 KiB (bench/upload-stream.sh).
constexpr std::size_t kFileBodyChunk = 64 * 1024;
constexpr std::chrono::milliseconds kAcceptRetry{100};

void logLine(tessera::host::LogLevel level, const QString& message) {
    tessera::host::Log log(QStringLiteral("http"));
    if (level == tessera::host::LogLevel::Error) log.error(message);
    else log.warning(message);
}

QString toQString(beast::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
beast::string_view toView(const QByteArray& b) { return {b.constData(), static_cast<std::size_t>(b.size())}; }

// A header field's name in lower case, as Request::headers has it. Beast numbers the names it
// knows: those are lowered once, and a request's usual headers get them as raw data (neither
// an allocation nor a reference count that every thread would write to).
template <class Field>
QByteArray lowerCaseName(const Field& field) {
    static const std::vector<std::string> known = [] {
        // xref is Beast's last field: a field a later Beast adds after it is lowered each time.
        std::vector<std::string> names(static_cast<std::size_t>(bhttp::field::xref) + 1);
        for (std::size_t i = 1; i < names.size(); ++i) {
            names[i] = std::string(bhttp::to_string(static_cast<bhttp::field>(i)));
            for (char& c : names[i]) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return names;
    }();
    if (const auto i = static_cast<std::size_t>(field.name()); i != 0 && i < known.size())
        return QByteArray::fromRawData(known[i].data(), static_cast<qsizetype>(known[i].size()));
    const auto name = field.name_string();
    return QByteArray(name.data(), static_cast<qsizetype>(name.size())).toLower();
}

// RFC 9110 IMF-fixdate, formatted at most once a second per thread. Written by hand
// because strftime's day and month names follow the process locale.
beast::string_view httpDate() {
    thread_local std::time_t cachedSecond = -1;
    thread_local char text[32];
    thread_local std::size_t length = 0;
    const std::time_t now = std::time(nullptr);
    if (now != cachedSecond) {
        static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        std::tm tm{};
        gmtime_r(&now, &tm);
        const int n = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
                                    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                                    tm.tm_sec);
        length = n > 0 ? static_cast<std::size_t>(n) : 0;
        cachedSecond = now;
    }
    return {text, length};
}

std::optional<tessera::Method> routableMethod(bhttp::verb v) {
    switch (v) {
        case bhttp::verb::get: return tessera::Method::Get;
        case bhttp::verb::post: return tessera::Method::Post;
        case bhttp::verb::put: return tessera::Method::Put;
        case bhttp::verb::patch: return tessera::Method::Patch;
        case bhttp::verb::delete_: return tessera::Method::Delete;
        default: return std::nullopt;
    }
}

QByteArray allowHeader(const QList<tessera::Method>& methods) {
    QByteArray value;
    for (const auto m : methods) {
        if (!value.isEmpty()) value += ", ";
        value += methodName(m).toLatin1();
    }
    return value;
}

// application/json, or a structured +json type such as application/merge-patch+json;
// parameters (charset=utf-8) are allowed.
bool isJsonMediaType(beast::string_view contentType) {
    auto type = contentType.substr(0, contentType.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    const auto lower = QByteArray(type.data(), static_cast<qsizetype>(type.size())).toLower();
    return lower == "application/json" || (lower.startsWith("application/") && lower.endsWith("+json"));
}

QString percentDecoded(beast::string_view s) {
    QByteArray bytes(s.data(), static_cast<qsizetype>(s.size()));
    bytes.replace('+', ' ');  // form encoding: '+' is a space (a literal plus arrives as %2B)
    return QString::fromUtf8(QByteArray::fromPercentEncoding(bytes));
}

QHash<QString, QString> decodeQuery(beast::string_view query) {
    QHash<QString, QString> result;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == beast::string_view::npos ? beast::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const auto key = pair.substr(0, eq);
        if (key.empty()) continue;
        result.insert(percentDecoded(key),
                      eq == beast::string_view::npos ? QString() : percentDecoded(pair.substr(eq + 1)));
    }
    return result;
}

// Whether every string in `v`, keys included, is text: QJsonDocument accepts a lone surrogate
// escape ("\ud800"), which no UTF-8 column can store faithfully.
bool isValidText(const QJsonValue& v) {
    if (v.isString()) return QStringView(v.toString()).isValidUtf16();
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        return std::all_of(a.begin(), a.end(), [](const QJsonValue& item) { return isValidText(item); });
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!QStringView(it.key()).isValidUtf16() || !isValidText(it.value())) return false;
    }
    return true;
}

// What the JSON parser found wrong, for people (Qt's errorString() is English only).
QString jsonProblem(QJsonParseError::ParseError error) {
    switch (error) {
        case QJsonParseError::UnterminatedObject: return tessera::text("an object is not closed with }");
        case QJsonParseError::MissingNameSeparator: return tessera::text("a : is missing after a name");
        case QJsonParseError::UnterminatedArray: return tessera::text("an array is not closed with ]");
        case QJsonParseError::MissingValueSeparator: return tessera::text("a , is missing between two values");
        case QJsonParseError::IllegalValue: return tessera::text("a value is not valid JSON");
        case QJsonParseError::TerminationByNumber: return tessera::text("the body ends inside a number");
        case QJsonParseError::IllegalNumber: return tessera::text("a number is not valid");
        case QJsonParseError::IllegalEscapeSequence: return tessera::text("an escape sequence is not valid");
        case QJsonParseError::IllegalUTF8String: return tessera::text("the text is not valid UTF-8");
        case QJsonParseError::UnterminatedString: return tessera::text("a string is not closed with \"");
        case QJsonParseError::MissingObject: return tessera::text("an object was expected");
        case QJsonParseError::DeepNesting: return tessera::text("the values are nested too deeply");
        case QJsonParseError::DocumentTooLarge: return tessera::text("the body is too large to parse");
        case QJsonParseError::GarbageAtEnd: return tessera::text("there is more after the JSON value");
        case QJsonParseError::NoError: break;
    }
    return tessera::text("the body is not valid JSON");
}

// Parses a request body. QJsonDocument only takes objects and arrays, so a bare value
// ("text", 42, true) is parsed inside brackets and unwrapped. Returns the error text.
std::optional<QString> parseJsonValue(const std::string& body, QJsonValue& out) {
    const QByteArray raw = QByteArray::fromRawData(body.data(), static_cast<qsizetype>(body.size()));
    const auto first = body.find_first_not_of(" \t\r\n");
    const bool container = first != std::string::npos && (body[first] == '{' || body[first] == '[');
    QJsonParseError error{};
    if (container) {
        const QJsonDocument doc = QJsonDocument::fromJson(raw, &error);
        if (error.error == QJsonParseError::NoError) {
            out = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
            return std::nullopt;
        }
    } else {
        QByteArray wrapped;
        wrapped.reserve(raw.size() + 2);
        wrapped.append('[').append(raw).append(']');
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
        error.offset = std::max(0, error.offset - 1);
        if (error.error == QJsonParseError::NoError) {
            if (doc.array().size() == 1) {
                out = doc.array().first();
                return std::nullopt;
            }
            return tessera::text("Malformed JSON body: expected exactly one JSON value");
        }
    }
    return tessera::text("Malformed JSON body at offset %1: %2", error.offset, jsonProblem(error.error));
}

std::optional<QString> parseJson(const std::string& body, QJsonValue& out) {
    if (auto error = parseJsonValue(body, out)) return error;
    if (isValidText(out)) return std::nullopt;
    out = QJsonValue();
    return tessera::text("Malformed JSON body: a string holds a lone surrogate escape (\\ud800-\\udfff without its pair)");
}

bool mustNotHaveBody(int status) { return status == 204 || status == 304; }

// The file an upload's body is written to (Beast's File concept, for new files only). It
// keeps the errno of a failed write, because a full disk and a client that went away both
// end the body's read with an error and only one of them can be answered; and it closes
// with a checked flush to disk, where a full disk may show first.
class BodyFile {
public:
    BodyFile() = default;
    ~BodyFile() {
        if (fd_ >= 0) ::close(fd_);
    }
    BodyFile(BodyFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)), failure_(other.failure_) {}
    BodyFile& operator=(BodyFile&& other) noexcept {
        if (this != &other) {
            if (fd_ >= 0) ::close(fd_);
            fd_ = std::exchange(other.fd_, -1);
            failure_ = other.failure_;
        }
        return *this;
    }

    /// The errno of the write or close that failed; 0 when none did.
    int failure() const { return failure_; }

    bool is_open() const { return fd_ >= 0; }
    void open(const char* path, beast::file_mode mode, beast::error_code& ec) {
        if (mode != beast::file_mode::write_new) return fail(ENOTSUP, ec);
        fd_ = ::open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (fd_ < 0) return fail(errno, ec);
        ec = {};
    }
    void close(beast::error_code& ec) {
        ec = {};
        if (fd_ < 0) return;
        if (const int failure = syncAndClose(std::exchange(fd_, -1))) {
            failure_ = failure;
            fail(failure, ec);
        }
    }
    std::uint64_t size(beast::error_code& ec) const {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) {
            fail(errno, ec);
            return 0;
        }
        ec = {};
        return static_cast<std::uint64_t>(st.st_size);
    }
    std::uint64_t pos(beast::error_code& ec) const {
        const off_t at = ::lseek(fd_, 0, SEEK_CUR);
        if (at < 0) {
            fail(errno, ec);
            return 0;
        }
        ec = {};
        return static_cast<std::uint64_t>(at);
    }
    void seek(std::uint64_t offset, beast::error_code& ec) {
        if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) return fail(errno, ec);
        ec = {};
    }
    std::size_t read(void*, std::size_t, beast::error_code& ec) const {
        fail(ENOTSUP, ec);  // the body is only ever written
        return 0;
    }
    std::size_t write(const void* data, std::size_t n, beast::error_code& ec) {
        const char* at = static_cast<const char*>(data);
        std::size_t left = n;
        while (left > 0) {
            const ssize_t written = ::write(fd_, at, left);
            if (written < 0 && errno == EINTR) continue;
            if (written < 0) {
                failure_ = errno;
                fail(failure_, ec);
                return n - left;
            }
            at += written;
            left -= static_cast<std::size_t>(written);
        }
        ec = {};
        return n;
    }

private:
    static void fail(int errnum, beast::error_code& ec) { ec.assign(errnum, beast::system_category()); }

    int fd_ = -1;
    int failure_ = 0;
};
using BodyFileBody = bhttp::basic_file_body<BodyFile>;

// A file sent as an answer (Beast's File concept, read only): the whole file or the slice a
// range asks for, read with pread from where the slice starts, a piece at a time.
class FileSlice {
public:
    FileSlice() = default;
    ~FileSlice() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileSlice(FileSlice&& other) noexcept
        : fd_(std::exchange(other.fd_, -1)), first_(other.first_), length_(other.length_), read_(other.read_) {}
    FileSlice& operator=(FileSlice&& other) noexcept {
        if (this != &other) {
            if (fd_ >= 0) ::close(fd_);
            fd_ = std::exchange(other.fd_, -1);
            first_ = other.first_;
            length_ = other.length_;
            read_ = other.read_;
        }
        return *this;
    }

    /// The whole file's size; the slice is the whole file until slice() is called.
    std::uint64_t wholeSize(beast::error_code& ec) {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) {
            fail(errno, ec);
            return 0;
        }
        ec = {};
        length_ = static_cast<std::uint64_t>(st.st_size);
        return length_;
    }
    void slice(std::uint64_t first, std::uint64_t length) {
        first_ = first;
        length_ = length;
        read_ = 0;
    }

    bool is_open() const { return fd_ >= 0; }
    void open(const char* path, beast::file_mode mode, beast::error_code& ec) {
        if (mode != beast::file_mode::scan && mode != beast::file_mode::read) return fail(ENOTSUP, ec);
        fd_ = ::open(path, O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) return fail(errno, ec);
        ec = {};
    }
    void close(beast::error_code& ec) {
        ec = {};
        if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    }
    std::uint64_t size(beast::error_code& ec) const {
        ec = {};
        return length_;
    }
    std::uint64_t pos(beast::error_code& ec) const {
        ec = {};
        return read_;
    }
    void seek(std::uint64_t offset, beast::error_code& ec) {
        read_ = offset;
        ec = {};
    }
    std::size_t read(void* buffer, std::size_t n, beast::error_code& ec) {
        for (;;) {
            const ssize_t got = ::pread(fd_, buffer, n, static_cast<off_t>(first_ + read_));
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) {
                fail(errno, ec);
                return 0;
            }
            read_ += static_cast<std::uint64_t>(got);
            ec = {};
            return static_cast<std::size_t>(got);
        }
    }
    std::size_t write(const void*, std::size_t, beast::error_code& ec) {
        fail(ENOTSUP, ec);  // answers are only ever read
        return 0;
    }

private:
    static void fail(int errnum, beast::error_code& ec) { ec.assign(errnum, beast::system_category()); }

    int fd_ = -1;
    std::uint64_t first_ = 0, length_ = 0, read_ = 0;
};
// Beast's basic_file_body sends a file 4 KiB at a time (a fixed buffer in its writer): a
// write per 4 KiB made a 1 GiB download several times slower than reading the file
// (bench/upload-stream.sh). This body sends it kFileSendChunk at a time, from a buffer that
// exists only while an answer is being written.
constexpr std::size_t kFileSendChunk = 256 * 1024;
struct FileSliceBody {
    using value_type = FileSlice;

    static std::uint64_t size(const value_type& file) {
        beast::error_code ec;
        return file.size(ec);
    }

    class writer {
    public:
        using const_buffers_type = asio::const_buffer;

        template <bool isRequest, class Fields>
        writer(bhttp::header<isRequest, Fields>&, value_type& file) : file_(file) {}

        void init(beast::error_code& ec) {
            buffer_ = std::make_unique<char[]>(kFileSendChunk);
            ec = {};
        }

        boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
            const std::uint64_t left = file_.size(ec) - file_.pos(ec);
            if (left == 0) {
                ec = {};
                return boost::none;
            }
            const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, kFileSendChunk));
            const std::size_t got = file_.read(buffer_.get(), want, ec);
            if (ec) return boost::none;
            if (got == 0) {  // the file is shorter than it was when the answer began
                ec = bhttp::error::short_read;
                return boost::none;
            }
            return std::make_pair(const_buffers_type(buffer_.get(), got), got < left);
        }

    private:
        value_type& file_;
        std::unique_ptr<char[]> buffer_;
    };
};

class Connection;

// The server behind Server's pimpl: the listening socket, the io threads and the stop
// sequence, plus what every connection reads (options, routes, whether we are stopping).
//
// Stop: close the acceptor, ask every connection to drain (idle ones close at once, busy
// ones answer and then close), and stop the io_context when the last connection is gone
// or the grace period is over, whichever comes first. run() then cuts what is left.
class ServerCore {
public:
    ServerCore(ServerOptions options, const Router& router);
    ~ServerCore();

    tessera::Status listen();
    std::uint16_t port() const { return port_; }
    void run();
    void stopOnSignals(std::chrono::milliseconds grace);
    void stop(std::chrono::milliseconds grace);

    const ServerOptions& options() const { return options_; }
    const Router& router() const { return router_; }
    asio::thread_pool& handlerThreads() { return handlerThreads_; }
    bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
    void forget(std::list<std::weak_ptr<Connection>>::iterator it);

private:
    void accept();
    void onAccept(beast::error_code ec, tcp::socket socket);
    void beginStop(std::chrono::milliseconds grace);

    const ServerOptions options_;
    const Router& router_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> stopRequested_{false};

    // Declared before the io_context: connections still owned by its pending handlers are
    // destroyed with it, and they unregister themselves here.
    std::mutex connectionsMutex_;
    std::list<std::weak_ptr<Connection>> connections_;
    bool destroying_ = false;  // guarded by connectionsMutex_

    asio::io_context ioc_;
    // Declared after the io_context, so destroyed before it: the handlers it drops release
    // their connections while the connections' strands still exist.
    asio::thread_pool handlerThreads_;
    asio::strand<asio::io_context::executor_type> strand_;
    tcp::acceptor acceptor_;
    asio::steady_timer acceptRetryTimer_;
    asio::steady_timer graceTimer_;
    std::optional<asio::signal_set> signals_;
    std::uint16_t port_ = 0;
};

// One client connection: reads requests one after another (keep-alive), routes them,
// runs the handler and writes the answer. Lives as long as one of its operations is pending.
class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket&& socket, ServerCore& core) : stream_(std::move(socket)), core_(core) {
        beast::error_code ec;
        const auto remote = stream_.socket().remote_endpoint(ec);
        if (!ec) clientAddress_ = QString::fromStdString(remote.address().to_string());
    }
    ~Connection() {
        removeBodyFile();
        core_.forget(registration_);
    }

    void start(std::list<std::weak_ptr<Connection>>::iterator registration) {
        registration_ = registration;
        asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Connection::waitForRequest, shared_from_this()));
    }

    // At stop, on the connection's strand: an idle connection closes now; one with a request
    // in flight finishes it, answers with Connection: close, then closes.
    void drain() {
        draining_ = true;
        if (state_ == State::Waiting || state_ == State::Closing) stream_.close();
    }

    asio::any_io_executor executor() { return stream_.get_executor(); }

    // After run() has returned (no io thread left): whatever is still open is cut.
    void forceClose() { stream_.close(); }

private:
    enum class State { Waiting, Reading, Processing, Writing, Closing };
    enum class After { KeepAliveIfAsked, CloseLingering };  // what follows the response

    const ServerOptions& options() const { return core_.options(); }

    // Between requests. Leftover bytes (pipelining) are parsed at once; otherwise wait for
    // the first byte under the idle timeout (the read timeout for a fresh connection, so a
    // client cannot hold a connection open without sending anything for long).
    void waitForRequest() {
        state_ = State::Waiting;
        if (draining_) return closeNow();
        if (buffer_.size() > 0) return readHeader();
        stream_.expires_after(servedOne_ ? options().idleTimeout : options().readTimeout);
        stream_.async_read_some(buffer_.prepare(kReadChunk),
                                beast::bind_front_handler(&Connection::onFirstBytes, shared_from_this()));
    }

    void onFirstBytes(beast::error_code ec, std::size_t n) {
        if (ec) return closeNow();  // idle timeout, client closed, or drain() closed us
        buffer_.commit(n);
        readHeader();
    }

    void readHeader() {
        state_ = State::Reading;
        parser_.emplace();
        fileParser_.reset();
        headerDone_ = false;
        acceptLanguage_.clear();  // a refusal of this request's header must not speak the last one's language
        range_.clear();
        ifRange_.clear();
        parser_->header_limit(kHeaderLimit);
        // No body limit yet: onHeader() checks the Content-Length after routing (404 and 405
        // come first) and sets the limit before any body byte is parsed. Not boost::none:
        // Beast 1.74 compares the Content-Length with the optional, and any length exceeds none.
        parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
        stream_.expires_after(options().readTimeout);  // the whole request must arrive by then
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 beast::bind_front_handler(&Connection::onHeader, shared_from_this()));
    }

    void onHeader(beast::error_code ec, std::size_t) {
        if (ec) return onReadError(ec);
        const auto& req = parser_->get();
        const bool bodyPending = !parser_->is_done();
        headerDone_ = true;
        headerVersion_ = req.version();
        keepAliveAsked_ = req.keep_alive();
        acceptLanguage_ = QByteArray(req[bhttp::field::accept_language].data(), static_cast<qsizetype>(req[bhttp::field::accept_language].size()));
        if (req.method() == bhttp::verb::get) {
            range_ = std::string(req[bhttp::field::range]);
            ifRange_ = std::string(req[bhttp::field::if_range]);
        }
        declaredLength_ = parser_->content_length();
        bodyLimit_ = options().maxBodyBytes;
        const After refuse = bodyPending ? After::CloseLingering : After::KeepAliveIfAsked;

        const auto method = routableMethod(req.method());
        if (req.method() == bhttp::verb::unknown)
            return respond(tessera::Response::error(
                               501, tessera::text("Not Implemented"),
                               tessera::text("Method %1 is not implemented", toQString(req.method_string()))),
                           refuse);

        const beast::string_view target = req.target();
        if (target.empty() || target.front() != '/')
            return respond(tessera::Response::error(
                               400, tessera::text("Bad Request"),
                               tessera::text("Request target must be a path starting with '/', got '%1'", toQString(target))),
                           refuse);
        const auto question = target.find('?');
        path_ = toQString(target.substr(0, question));

        if (!method) {
            const auto allowed = core_.router().allowedMethods(path_);
            if (allowed.isEmpty()) return respond(noRoute(toQString(req.method_string())), refuse);
            return respond(methodNotAllowed(toQString(req.method_string()), allowed), refuse);
        }
        method_ = *method;
        match_ = core_.router().match(method_, path_);
        // Everything outside /api/ that no route claims goes to the fallback (the web shell).
        if (match_.kind == Router::Match::Kind::NotFound && method_ == tessera::Method::Get &&
            core_.router().fallback() && !path_.startsWith(QLatin1String("/api/"))) {
            match_.kind = Router::Match::Kind::Found;
            match_.handler = core_.router().fallback();
        }
        if (match_.kind == Router::Match::Kind::NotFound) return respond(noRoute(methodName(method_)), refuse);
        if (match_.kind == Router::Match::Kind::MethodNotAllowed)
            return respond(methodNotAllowed(methodName(method_), match_.allowed), refuse);

        if (match_.fileBody) return admitFile(bodyPending);
        if (!bodyPending) return handle();

        const auto limit = static_cast<std::uint64_t>(std::max<std::int64_t>(0, options().maxBodyBytes));
        if (const auto declared = parser_->content_length(); declared && *declared > limit)
            return respond(tooLarge(), After::CloseLingering);
        const auto contentType = req[bhttp::field::content_type];
        if (!isJsonMediaType(contentType)) {
            return respond(tessera::Response::error(
                               415, tessera::text("Unsupported Media Type"),
                               contentType.empty()
                                   ? tessera::text("Request body needs Content-Type: application/json")
                                   : tessera::text("Request body must be application/json, got '%1'", toQString(contentType))),
                           After::CloseLingering);
        }
        parser_->body_limit(limit);  // also bounds chunked bodies, whose size is not declared
        continueThen(req, &Connection::readBody);
    }

    // Clients like curl wait for "100 Continue" before they send a body they announced.
    template <class Message>
    void continueThen(const Message& req, void (Connection::*next)()) {
        if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
            static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
            asio::async_write(stream_, asio::buffer(kContinue, sizeof kContinue - 1),
                              [self = shared_from_this(), next](beast::error_code wec, std::size_t) {
                                  if (wec) return self->closeNow();
                                  ((*self).*next)();
                              });
            return;
        }
        (this->*next)();
    }

    // A file route: the route's admit check sees the header first (an unauthenticated upload
    // is refused before a byte is stored), then the body goes to a file under uploadDir.
    void admitFile(bool bodyPending) {
        runHandler(match_.fileBody->admit, requestOf(parser_->get()), true,
                   [this, bodyPending](tessera::Response verdict) { onAdmitted(bodyPending, std::move(verdict)); });
    }

    void onAdmitted(bool bodyPending, tessera::Response verdict) {
        const After refuse = bodyPending ? After::CloseLingering : After::KeepAliveIfAsked;
        if (verdict.status != 0) return respond(std::move(verdict), refuse);
        if (!bodyPending)
            return respond(tessera::Response::error(400, tessera::text("Bad Request"),
                                                    tessera::text("The request has no body: send the file's bytes as the body")),
                           refuse);
        bodyLimit_ = options().maxUploadBytes;
        const auto limit = static_cast<std::uint64_t>(std::max<std::int64_t>(0, bodyLimit_));
        if (declaredLength_ && *declaredLength_ > limit) return respond(tooLarge(), After::CloseLingering);
        if (options().uploadDir.empty())
            return respond(tessera::Response::error(503, tessera::text("Service Unavailable"),
                                                    tessera::text("This server takes no uploads (no upload folder is set)")),
                           After::CloseLingering);
        std::error_code fsError;
        std::filesystem::create_directories(options().uploadDir, fsError);
        if (fsError) return respond(storageFailure(fsError.value(), options().uploadDir), After::CloseLingering);
        thread_local std::mt19937_64 random{(std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()};
        char name[40];
        std::snprintf(name, sizeof name, "body-%016llx.part", static_cast<unsigned long long>(random()));
        const std::string path = (std::filesystem::path(options().uploadDir) / name).string();
        fileParser_.emplace(std::move(*parser_));
        fileParser_->body_limit(limit);
        beast::error_code ec;
        // write_new: never an existing file (a name drawn twice fails here, it cannot mix two bodies).
        fileParser_->get().body().open(path.c_str(), beast::file_mode::write_new, ec);
        if (ec) return respond(storageFailure(ec.value(), path), After::CloseLingering);
        bodyFile_ = path;
        buffer_.reserve(kFileBodyChunk);  // given back by shrink_to_fit() once the body is in
        continueThen(fileParser_->get(), &Connection::readFileBody);
    }

    // A chunk at a time, each under the read timeout: a big upload may take longer than one
    // timeout in all, a stalled one is dropped.
    void readFileBody() {
        stream_.expires_after(options().readTimeout);
        bhttp::async_read_some(stream_, buffer_, *fileParser_, beast::bind_front_handler(&Connection::onFileBody, shared_from_this()));
    }

    void onFileBody(beast::error_code ec, std::size_t) {
        if (ec) {
            // The disk refused a write: that is the answer, and the rest of the body is not read.
            const int failure = fileParser_->get().body().file().failure();
            auto answer = failure ? std::optional(storageFailure(failure, bodyFile_)) : std::nullopt;
            removeBodyFile();
            if (answer) return respond(std::move(*answer), After::CloseLingering);
            return onReadError(ec);
        }
        if (!fileParser_->is_done()) return readFileBody();
        buffer_.shrink_to_fit();  // an idle connection keeps a small buffer (pipelined bytes stay)
        fileParser_->get().body().file().close(ec);
        if (ec) {
            tessera::Response answer = storageFailure(ec.value(), bodyFile_);
            removeBodyFile();
            return respond(std::move(answer), After::KeepAliveIfAsked);
        }
        tessera::Request request = requestOf(fileParser_->get());
        request.bodyFile = QString::fromStdString(bodyFile_);
        runHandler(*match_.handler, std::move(request), false, [this](tessera::Response response) {
            removeBodyFile();  // unless the handler moved it away
            respond(std::move(response), After::KeepAliveIfAsked);
        });
    }

    // An upload's body that could not be stored: 507 when the disk is full, in the language
    // the request prefers, else 500. Neither names the file: the log does.
    tessera::Response storageFailure(int errnum, const std::string& path) const {
        logLine(LogLevel::Error, QStringLiteral("cannot store the upload body %1: %2")
                                     .arg(QString::fromStdString(path), QString::fromLocal8Bit(std::strerror(errnum))));
        if (isDiskFull(errnum)) return diskFullResponse(preferredLanguage(acceptLanguage_));
        return tessera::Response::error(500, tessera::text("Internal Server Error"), tessera::text("the upload could not be stored"));
    }

    void removeBodyFile() {
        if (bodyFile_.empty()) return;
        std::error_code ignored;
        std::filesystem::remove(bodyFile_, ignored);
        bodyFile_.clear();
    }

    void readBody() {
        bhttp::async_read(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Connection::onBody, shared_from_this()));
    }

    void onBody(beast::error_code ec, std::size_t) {
        if (ec) return onReadError(ec);
        handle();
    }

    void onReadError(beast::error_code ec) {
        if (ec == bhttp::error::body_limit) return respond(tooLarge(), After::CloseLingering);
        if (ec == bhttp::error::header_limit)
            return respond(tessera::Response::error(
                               431, tessera::text("Request Header Fields Too Large"),
                               tessera::text("Request headers exceed the limit of %1 bytes", kHeaderLimit)),
                           After::CloseLingering);
        // The client went away (before or during a request), the read timed out (Beast has
        // closed the socket then: no 408 is possible), or we closed it at stop.
        static const auto& parseErrors = bhttp::make_error_code(bhttp::error::bad_target).category();
        if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec.category() != parseErrors)
            return closeNow();
        respond(tessera::Response::error(400, tessera::text("Bad Request"),
                                         tessera::text("Malformed HTTP request: %1", QString::fromStdString(ec.message()))),
                After::CloseLingering);
    }

    template <class Message>
    tessera::Request requestOf(const Message& req) {
        tessera::Request request;
        request.method = method_;
        request.path = path_;
        request.pathParams = match_.params;
        const beast::string_view target = req.target();
        const auto question = target.find('?');
        request.query = decodeQuery(question == beast::string_view::npos ? beast::string_view{} : target.substr(question + 1));
        request.clientAddress = clientAddress_;
        request.headers.reserve(static_cast<qsizetype>(std::distance(req.begin(), req.end())));
        for (const auto& field : req) {
            QByteArray key = lowerCaseName(field);
            const auto value = field.value();
            const QByteArray bytes(value.data(), static_cast<qsizetype>(value.size()));
            auto it = request.headers.find(key);
            if (it == request.headers.end()) request.headers.insert(std::move(key), bytes);
            else *it += ", " + bytes;  // a repeated field is the comma-joined list (RFC 9110 5.3)
        }
        // The SDK promises Undefined for "no body"; a default QJsonValue is Null.
        request.body = QJsonValue(QJsonValue::Undefined);
        return request;
    }

    void handle() {
        state_ = State::Processing;
        auto& req = parser_->get();
        tessera::Request request = requestOf(req);
        if (!req.body().empty()) {
            if (auto error = parseJson(req.body(), request.body))
                return respond(tessera::Response::error(400, tessera::text("Bad Request"), *error),
                               After::KeepAliveIfAsked);
        }
        runHandler(*match_.handler, std::move(request), false,
                   [this](tessera::Response response) { respond(std::move(response), After::KeepAliveIfAsked); });
    }

    // Runs `handler` on the handler threads (at once on this io thread for an immediate
    // route) and continues with `then(response)` on this connection's strand. The connection
    // stays alive meanwhile; `handler` belongs to the router, which outlives the server.
    template <class Then>
    void runHandler(const BoundHandler& handler, tessera::Request request, bool admitCheck, Then then) {
        state_ = State::Processing;
        if (match_.immediate) return then(run(handler, std::move(request), admitCheck));
        asio::post(core_.handlerThreads(), [self = shared_from_this(), strand = stream_.get_executor(), &handler,
                                            request = std::move(request), admitCheck, then = std::move(then)]() mutable {
            tessera::Response response = run(handler, std::move(request), admitCheck);
            asio::dispatch(strand, [self = std::move(self), then = std::move(then), response = std::move(response)]() mutable {
                then(std::move(response));
            });
        });
    }

    // Runs a handler; an exception or an impossible status becomes a 500 (status 0 is an
    // admit check's "go on").
    static tessera::Response run(const BoundHandler& handler, tessera::Request request, bool admitCheck = false) {
        // The handler takes the request; the log keeps what it says of it.
        const tessera::Method method = request.method;
        const QString path = request.path;
        tessera::Response response;
        try {
            response = handler(std::move(request));
        } catch (const std::exception& e) {
            response = internalError(method, path, QString::fromLocal8Bit(e.what()));
        } catch (...) {
            response = internalError(method, path, QStringLiteral("an exception that is not a std::exception"));
        }
        if (!(admitCheck && response.status == 0) && (response.status < 200 || response.status > 599)) {
            logLine(LogLevel::Error,
                    QStringLiteral("%1 %2: handler answered with invalid status %3").arg(methodName(method), path).arg(response.status));
            response = tessera::Response::error(500, tessera::text("Internal Server Error"), tessera::text("Internal error"));
        }
        return response;
    }

    // The exception text may hold internals (SQL, paths): it goes to the log, not the client.
    static tessera::Response internalError(tessera::Method method, const QString& path, const QString& what) {
        logLine(LogLevel::Error, QStringLiteral("%1 %2: handler threw %3").arg(methodName(method), path, what));
        return tessera::Response::error(500, tessera::text("Internal Server Error"), tessera::text("Internal error"));
    }

    tessera::Response noRoute(const QString& method) const {
        return tessera::Response::notFound(tessera::text("No route for %1 %2", method, path_));
    }

    tessera::Response methodNotAllowed(const QString& method, const QList<tessera::Method>& allowed) const {
        const QByteArray allow = allowHeader(allowed);
        auto r = tessera::Response::error(405, tessera::text("Method Not Allowed"),
                                          tessera::text("Method %1 is not allowed on %2 (allowed: %3)", method, path_, QString::fromLatin1(allow)));
        r.withHeader("Allow", allow);
        return r;
    }

    tessera::Response tooLarge() const {
        const auto declared = headerDone_ ? declaredLength_ : boost::none;
        const std::int64_t limit = headerDone_ ? bodyLimit_ : options().maxBodyBytes;
        return tessera::Response::error(
            413, tessera::text("Content Too Large"),
            declared ? tessera::text("Request body of %1 bytes exceeds the limit of %2 bytes", static_cast<qint64>(*declared), static_cast<qint64>(limit))
                     : tessera::text("Request body exceeds the limit of %1 bytes", static_cast<qint64>(limit)));
    }

    // Status line and headers of an answer: ours, then the handler's (which cannot change the framing).
    template <class Message>
    void fillHeader(Message& m, const tessera::Response& r, bool keepAlive) {
        m.version(headerDone_ ? headerVersion_ : 11);
        m.result(static_cast<unsigned>(r.status));
        m.set(bhttp::field::server, "tessera");
        m.set(bhttp::field::date, httpDate());
        for (const auto& [name, value] : r.headers) {
            const auto field = bhttp::string_to_field(toView(name));
            if (field == bhttp::field::content_length || field == bhttp::field::transfer_encoding ||
                field == bhttp::field::connection)
                continue;
            if (field == bhttp::field::content_type || field == bhttp::field::server || field == bhttp::field::date)
                m.set(field, toView(value));
            else
                m.insert(toView(name), toView(value));
        }
        m.keep_alive(keepAlive);
    }

    void respond(tessera::Response&& r, After after) {
        state_ = State::Writing;
        const bool keepAlive = after == After::KeepAliveIfAsked && headerDone_ && keepAliveAsked_ && !draining_ && !core_.stopping();
        linger_ = after == After::CloseLingering;
        closeAfter_ = !keepAlive;
        if (!r.file.isEmpty() && !mustNotHaveBody(r.status)) return respondWithFile(std::move(r), keepAlive, after);

        response_ = {};
        fillHeader(response_, r, keepAlive);
        const bool hasBody = !r.body.isUndefined() && !mustNotHaveBody(r.status);
        if (!r.bytesType.isEmpty() && !mustNotHaveBody(r.status)) {
            responseBody_ = std::move(r.bytes);
            response_.set(bhttp::field::content_type, toView(r.bytesType));
        } else if (hasBody) {
            // A handler's answer has been said in its caller's language by the app; the
            // server's own refusals (no route, too large, malformed ...) are said here, in the
            // language the request asks for.
            if (r.problem) r.body = messages().render(r.body, preferredLanguage(acceptLanguage_));
            responseBody_ = compactJson(r.body);
            response_.set(bhttp::field::content_type, r.problem ? "application/problem+json; charset=utf-8"
                                                                : "application/json; charset=utf-8");
        } else {
            responseBody_.clear();
        }
        if (!mustNotHaveBody(r.status)) response_.content_length(responseBody_.size());

        // The header as Beast writes it and the body after it, in one buffer: one send, and
        // none of the serializer's buffer sequences (a tenth of a small GET's time).
        wire_.clear();
        wire_.reserve(512 + static_cast<std::size_t>(responseBody_.size()));
        wire_ += response_.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
        wire_ += std::to_string(response_.result_int());
        wire_ += ' ';
        const auto reason = response_.reason();
        wire_.append(reason.data(), reason.size());
        wire_ += "\r\n";
        for (const auto& field : response_) {
            const auto name = field.name_string();
            const auto value = field.value();
            wire_.append(name.data(), name.size());
            wire_ += ": ";
            wire_.append(value.data(), value.size());
            wire_ += "\r\n";
        }
        wire_ += "\r\n";
        wire_.append(responseBody_.constData(), static_cast<std::size_t>(responseBody_.size()));

        // Most answers fit the socket's buffer: sent at once, without an asynchronous
        // operation, its timer and its hand-off. What does not fit goes on under the timeout.
        beast::error_code ec;
        const std::size_t sent = stream_.socket().write_some(asio::buffer(wire_), ec);
        if (!ec && sent == wire_.size()) return onWritten(ec, sent);
        if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return onWritten(ec, 0);
        stream_.expires_after(options().readTimeout);  // a client that does not read is dropped too
        asio::async_write(stream_, asio::buffer(wire_.data() + sent, wire_.size() - sent),
                          beast::bind_front_handler(&Connection::onWritten, shared_from_this()));
    }

    // A body from a file (downloads), written a piece at a time, each under the read timeout:
    // a big file may take longer than one timeout in all, a client that stops reading is dropped.
    // An answer that says "Accept-Ranges: bytes" sends the range a GET asks for (206), or 416
    // for one past the end; If-Range with another ETag than the answer's gets the whole file.
    void respondWithFile(tessera::Response&& r, bool keepAlive, After after) {
        FileSlice file;
        beast::error_code ec;
        file.open(r.file.toLocal8Bit().constData(), beast::file_mode::scan, ec);
        const std::uint64_t size = ec ? 0 : file.wholeSize(ec);
        if (ec) {
            logLine(LogLevel::Error, QStringLiteral("cannot send the file %1: %2").arg(r.file, QString::fromStdString(ec.message())));
            return respond(tessera::Response::error(500, tessera::text("Internal Server Error"), tessera::text("the file could not be read")), after);
        }
        ByteRange range;
        if (r.status == 200 && !range_.empty() && rangesAccepted(r) && (ifRange_.empty() || ifRange_ == headerOf(r, "ETag")))
            range = byteRange(range_, size);
        if (range.kind == ByteRange::Kind::Unsatisfiable) {
            tessera::Response refused = tessera::Response::error(416, tessera::text("Range Not Satisfiable"),
                                                                 tessera::text("The file has %1 bytes; the range asked for lies beyond them",
                                                                               static_cast<qint64>(size)));
            refused.withHeader("Content-Range", "bytes */" + QByteArray::number(static_cast<qulonglong>(size)));
            refused.withHeader("Accept-Ranges", "bytes");
            return respond(std::move(refused), after);
        }
        if (range.kind == ByteRange::Kind::Partial) {
            file.slice(range.first, range.length);
            r.status = 206;
            r.withHeader("Content-Range", QByteArrayLiteral("bytes %1-%2/%3")
                                              .replace("%1", QByteArray::number(static_cast<qulonglong>(range.first)))
                                              .replace("%2", QByteArray::number(static_cast<qulonglong>(range.first + range.length - 1)))
                                              .replace("%3", QByteArray::number(static_cast<qulonglong>(size))));
        }
        fileResponse_.emplace();
        fileResponse_->body() = std::move(file);
        fillHeader(*fileResponse_, r, keepAlive);
        fileResponse_->set(bhttp::field::content_type, r.bytesType.isEmpty() ? beast::string_view("application/octet-stream") : toView(r.bytesType));
        fileResponse_->content_length(FileSliceBody::size(fileResponse_->body()));
        fileSerializer_.emplace(*fileResponse_);
        writeFilePiece();
    }

    static bool rangesAccepted(const tessera::Response& r) { return headerOf(r, "Accept-Ranges") == "bytes"; }
    static std::string headerOf(const tessera::Response& r, const char* name) {
        for (const auto& [n, v] : r.headers)
            if (beast::iequals(toView(n), name)) return v.toStdString();
        return {};
    }

    void writeFilePiece() {
        stream_.expires_after(options().readTimeout);
        bhttp::async_write_some(stream_, *fileSerializer_, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
            if (ec) return self->onWritten(ec, n);
            if (!self->fileSerializer_->is_done()) return self->writeFilePiece();
            self->onWritten(ec, n);
        });
    }

    void onWritten(beast::error_code ec, std::size_t) {
        fileSerializer_.reset();
        fileResponse_.reset();
        if (ec) return closeNow();
        if (closeAfter_ || draining_) return linger_ ? lingeringClose() : closeNow();
        servedOne_ = true;
        parser_.reset();
        fileParser_.reset();
        waitForRequest();
    }

    void lingeringClose() {
        state_ = State::Closing;
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(kLingerTime);
        discardInput();
    }

    void discardInput() {
        buffer_.clear();
        stream_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->stream_.close();  // the client closed, or the linger time is over
            self->discardInput();
        });
    }

    void closeNow() {
        state_ = State::Closing;
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    QString clientAddress_;
    ServerCore& core_;
    std::list<std::weak_ptr<Connection>>::iterator registration_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::optional<bhttp::request_parser<BodyFileBody>> fileParser_;  // a file route's body, after its header
    std::string bodyFile_;  // the file it is written to, until the request is answered
    bhttp::response<bhttp::empty_body> response_;  // the header respond() writes, before the body
    QByteArray responseBody_;
    std::string wire_;                                            // the answer as sent: header and body
    std::optional<bhttp::response<FileSliceBody>> fileResponse_;  // an answer from a file, while it is written
    std::optional<bhttp::response_serializer<FileSliceBody>> fileSerializer_;
    bool closeAfter_ = false;  // the answer being written ends the connection
    State state_ = State::Waiting;
    bool draining_ = false;
    bool servedOne_ = false;
    bool linger_ = false;
    // The request being read: set in onHeader(), used in handle().
    tessera::Method method_ = tessera::Method::Get;
    QString path_;
    Router::Match match_;
    // From the request's header, kept for the answer (the header's parser may have become the file parser).
    bool headerDone_ = false;
    unsigned headerVersion_ = 11;
    bool keepAliveAsked_ = false;
    QByteArray acceptLanguage_;  // for the answers the server words itself
    std::string range_, ifRange_;  // a GET's Range and If-Range, for an answer from a file
    boost::optional<std::uint64_t> declaredLength_;
    std::int64_t bodyLimit_ = 0;
};

ServerCore::ServerCore(ServerOptions options, const Router& router)
    : options_(std::move(options)),
      router_(router),
      ioc_(std::max(1, options_.threads)),
      handlerThreads_(static_cast<std::size_t>(std::max(1, options_.threads))),
      strand_(asio::make_strand(ioc_)),
      acceptor_(strand_),
      acceptRetryTimer_(strand_),
      graceTimer_(strand_) {}

ServerCore::~ServerCore() {
    std::lock_guard lock(connectionsMutex_);
    destroying_ = true;
}

tessera::Status ServerCore::listen() {
    const QString where = QStringLiteral("%1:%2").arg(QString::fromStdString(options_.address)).arg(options_.port);
    const auto fail = [&](const beast::error_code& ec) {
        beast::error_code ignored;
        acceptor_.close(ignored);
        return tessera::Error{QStringLiteral("http.listen"), QStringLiteral("Cannot listen on %1: %2")
                                                                 .arg(where, QString::fromStdString(ec.message()))};
    };
    beast::error_code ec;
    tcp::endpoint endpoint;
    if (const auto address = asio::ip::make_address(options_.address, ec); !ec) {
        endpoint = {address, options_.port};
    } else {  // a host name such as "localhost"
        tcp::resolver resolver(ioc_);
        const auto results = resolver.resolve(options_.address, std::to_string(options_.port), ec);
        if (ec) return fail(ec);
        if (results.empty()) return fail(asio::error::host_not_found);
        endpoint = results.begin()->endpoint();
    }
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return fail(ec);
    acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec) return fail(ec);
    acceptor_.bind(endpoint, ec);
    if (ec) return fail(ec);
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail(ec);
    port_ = acceptor_.local_endpoint(ec).port();
    accept();
    return {};
}

void ServerCore::accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), beast::bind_front_handler(&ServerCore::onAccept, this));
}

void ServerCore::onAccept(beast::error_code ec, tcp::socket socket) {
    if (stopping() || ec == asio::error::operation_aborted) return;
    if (ec) {
        // Out of file descriptors and the like: wait a little instead of spinning.
        logLine(LogLevel::Warning, QStringLiteral("accept failed: %1").arg(QString::fromStdString(ec.message())));
        acceptRetryTimer_.expires_after(kAcceptRetry);
        acceptRetryTimer_.async_wait([this](beast::error_code wec) {
            if (!wec && !stopping()) accept();
        });
        return;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    // respond() tries a send at once: it must say "would block", not wait.
    socket.non_blocking(true, ignored);
    auto connection = std::make_shared<Connection>(std::move(socket), *this);
    std::list<std::weak_ptr<Connection>>::iterator registration;
    {
        std::lock_guard lock(connectionsMutex_);
        registration = connections_.insert(connections_.end(), connection);
    }
    connection->start(registration);
    accept();
}

void ServerCore::forget(std::list<std::weak_ptr<Connection>>::iterator it) {
    std::lock_guard lock(connectionsMutex_);
    connections_.erase(it);
    // The last connection of a stopping server: nothing is left to wait for.
    if (connections_.empty() && stopping() && !destroying_) ioc_.stop();
}

void ServerCore::run() {
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.threads; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
    // Handlers still running finish (their answers wait in the io_context for the poll
    // below, which cuts them); handlers not yet started are dropped with their connections.
    handlerThreads_.stop();
    handlerThreads_.join();

    // No io thread is left, so touching connections from here is safe. Cut what outlived
    // the grace period and let their aborted operations complete to free them.
    std::vector<std::shared_ptr<Connection>> leftovers;
    {
        std::lock_guard lock(connectionsMutex_);
        for (const auto& weak : connections_)
            if (auto c = weak.lock()) leftovers.push_back(std::move(c));
    }
    for (const auto& c : leftovers) c->forceClose();
    leftovers.clear();
    ioc_.restart();
    ioc_.poll();
}

// Called before run(); the signal handlers stay installed until the server is destroyed.
void ServerCore::stopOnSignals(std::chrono::milliseconds grace) {
    signals_.emplace(strand_, SIGINT, SIGTERM);
    signals_->async_wait([this, grace](beast::error_code ec, int) {
        if (!ec) stop(grace);
    });
}

void ServerCore::stop(std::chrono::milliseconds grace) {
    if (stopRequested_.exchange(true)) return;
    asio::post(strand_, [this, grace] { beginStop(grace); });
}

void ServerCore::beginStop(std::chrono::milliseconds grace) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    acceptRetryTimer_.cancel();
    if (signals_) signals_->cancel(ignored);

    std::vector<std::shared_ptr<Connection>> live;
    {
        std::lock_guard lock(connectionsMutex_);
        stopping_ = true;  // under the lock, so forget() sees it or we see an empty set
        for (const auto& weak : connections_)
            if (auto c = weak.lock()) live.push_back(std::move(c));
        if (live.empty()) {
            ioc_.stop();
            return;
        }
    }
    for (auto& c : live) {
        auto executor = c->executor();
        asio::post(executor, [c = std::move(c)] { c->drain(); });
    }
    graceTimer_.expires_after(grace);
    graceTimer_.async_wait([this](beast::error_code ec) {
        if (!ec) ioc_.stop();  // run() closes whatever is left once the threads are back
    });
}

}  // namespace

class Server::Impl : public ServerCore {
public:
    using ServerCore::ServerCore;
};

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}
Server::~Server() = default;

tessera::Status Server::listen() { return impl_->listen(); }
std::uint16_t Server::port() const { return impl_->port(); }
void Server::run() { impl_->run(); }
void Server::stopOnSignals(std::chrono::milliseconds grace) { impl_->stopOnSignals(grace); }
void Server::stop(std::chrono::milliseconds grace) { impl_->stop(grace); }

}  // namespace tessera::host::http
