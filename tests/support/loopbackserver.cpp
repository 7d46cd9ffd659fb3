#include "loopbackserver.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <list>
#include <optional>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace facet::test {

using nlohmann::json;

namespace {

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return s;
}

std::string reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

std::uint64_t fnv1a(const std::string& s)
{
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

/** A piece of a response, written when due; the last one of a response has `last`. */
struct Step
{
    std::int64_t due = 0;
    std::string bytes;
    bool last = false;
    bool close = false; ///< close the connection after writing this step
};

struct Conn
{
    int fd = -1;
    std::string in;
    bool responding = false;
    bool chat = false; ///< the response in progress answers a chat request
    bool closeAfter = false;
    bool dead = false;
    std::deque<Step> out;
    std::size_t outPos = 0;
};

struct Request
{
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;
    std::string body;
};

/** What a chat request asked for, whatever its protocol. */
struct Chat
{
    bool ollama = false;
    std::string model;
    bool stream = false;
    bool includeUsage = false;
    bool structured = false;
    std::string prompt;
    std::string image;
};

} // namespace

struct LoopbackServer::Impl
{
    int listenFd = -1;
    int wakePipe[2] = {-1, -1};
    std::thread thread;
    std::atomic_bool quit{false};

    mutable std::mutex mutex; // guards everything below
    std::vector<Fault> faults;
    int delayMs = 0;
    int chunkDelayMs = 0;
    std::string requiredKey;
    std::vector<std::string> models{"facet-test-vlm", "llava:7b"};
    bool recordBodies = false;
    std::map<std::string, int> perPath;
    int chat = 0;
    int active = 0;
    int maxActive = 0;
    std::vector<RecordedRequest> recorded;

    std::list<Conn> conns;

    void loop();
    void readable(Conn& c);
    void writable(Conn& c);
    void parse(Conn& c);
    void handle(Conn& c, Request&& r);
    void finishResponse(Conn& c);

    // response builders
    static std::string head(int status, const std::string& type, std::size_t length,
                            const std::vector<std::string>& extra = {});
    void plain(Conn& c, std::int64_t due, int status, const std::string& type, const std::string& body,
               const std::vector<std::string>& extra = {});
    void chunked(Conn& c, std::int64_t due, const std::string& type, const std::vector<std::string>& pieces,
                 bool dropAfterFirst, int chunkDelay);
    void answerChat(Conn& c, const Chat& chat, const std::optional<Fault>& fault);
};

std::string LoopbackServer::Impl::head(int status, const std::string& type, std::size_t length,
                                       const std::vector<std::string>& extra)
{
    std::string h = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
    h += "Content-Type: " + type + "\r\n";
    h += "Content-Length: " + std::to_string(length) + "\r\n";
    h += "x-request-id: req_loopback\r\n";
    for (const std::string& e : extra)
        h += e + "\r\n";
    h += "\r\n";
    return h;
}

void LoopbackServer::Impl::plain(Conn& c, std::int64_t due, int status, const std::string& type,
                                 const std::string& body, const std::vector<std::string>& extra)
{
    Step s;
    s.due = due;
    s.bytes = head(status, type, body.size(), extra) + body;
    s.last = true;
    s.close = c.closeAfter;
    c.out.push_back(std::move(s));
}

void LoopbackServer::Impl::chunked(Conn& c, std::int64_t due, const std::string& type,
                                   const std::vector<std::string>& pieces, bool dropAfterFirst, int chunkDelay)
{
    Step h;
    h.due = due;
    h.bytes = "HTTP/1.1 200 OK\r\nContent-Type: " + type
              + "\r\nTransfer-Encoding: chunked\r\nx-request-id: req_loopback\r\n\r\n";
    c.out.push_back(std::move(h));
    std::int64_t t = due;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", pieces[k].size());
        Step s;
        s.due = t;
        s.bytes = std::string(size) + pieces[k] + "\r\n";
        if (dropAfterFirst && k == 0) {
            s.last = true;
            s.close = true;
            c.out.push_back(std::move(s));
            return;
        }
        c.out.push_back(std::move(s));
        t += chunkDelay;
    }
    Step end;
    end.due = t;
    end.bytes = "0\r\n\r\n";
    end.last = true;
    end.close = c.closeAfter;
    c.out.push_back(std::move(end));
}

void LoopbackServer::Impl::answerChat(Conn& c, const Chat& chat, const std::optional<Fault>& fault)
{
    int delay = 0;
    int chunkDelay = 0;
    {
        std::lock_guard lock(mutex);
        delay = delayMs;
        chunkDelay = chunkDelayMs;
    }
    if (fault && fault->delayMs > 0)
        delay = fault->delayMs;
    const std::int64_t due = nowMs() + delay;
    const Fault::Kind kind = fault ? fault->kind : Fault::Kind::Status;
    const bool faulty = fault.has_value();

    auto errorBody = [&](const std::string& message, const std::string& type, const json& code) {
        if (chat.ollama)
            return json{{"error", message}}.dump();
        return json{{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}}.dump();
    };

    if (faulty) {
        switch (kind) {
        case Fault::Kind::Status: {
            const std::string type = fault->status >= 500 ? "server_error" : "invalid_request_error";
            plain(c, due, fault->status, "application/json",
                  errorBody("Loopback error " + std::to_string(fault->status), type, nullptr));
            return;
        }
        case Fault::Kind::RateLimit: {
            std::vector<std::string> extra;
            if (fault->retryAfterSeconds >= 0)
                extra.push_back("Retry-After: " + std::to_string(fault->retryAfterSeconds));
            if (fault->retryAfterMs >= 0)
                extra.push_back("retry-after-ms: " + std::to_string(fault->retryAfterMs));
            plain(c, due, 429, "application/json",
                  errorBody("Rate limit reached for requests", "requests", "rate_limit_exceeded"), extra);
            return;
        }
        case Fault::Kind::InsufficientQuota:
            plain(c, due, 429, "application/json",
                  errorBody("You exceeded your current quota, please check your plan and billing details.",
                            "insufficient_quota", "insufficient_quota"));
            return;
        case Fault::Kind::FlatError:
            plain(c, due, fault->status, "application/json",
                  json{{"object", "error"},
                       {"message", "Loopback flat error"},
                       {"type", "BadRequestError"},
                       {"param", nullptr},
                       {"code", fault->status}}
                      .dump());
            return;
        case Fault::Kind::MalformedJson:
            plain(c, due, 200, "application/json", "{\"choices\": [ this is not json");
            return;
        case Fault::Kind::Drop: {
            Step s;
            s.due = due;
            s.last = true;
            s.close = true;
            c.out.push_back(std::move(s));
            return;
        }
        default:
            break;
        }
    }

    std::string caption = LoopbackServer::captionFor(chat.prompt, chat.image);
    if (chat.structured) {
        caption = json{{"world_knowledge", {"The landmark in the picture is the Loopback Tower."}},
                       {"attributes", {"The tower is made of grey steel."}},
                       {"spatial", {"A small tree stands on the left of the tower."}},
                       {"art", json::array()},
                       {"other", {LoopbackServer::captionFor(chat.prompt, chat.image)}}}
                      .dump();
    }
    std::string finish = "stop";
    if (faulty && kind == Fault::Kind::Length) {
        caption = caption.substr(0, caption.size() / 2);
        finish = "length";
    }
    if (faulty && kind == Fault::Kind::Empty)
        caption.clear();
    const bool refusal = faulty && kind == Fault::Kind::Refusal && !chat.ollama;
    const std::int64_t promptTokens = 85 + std::int64_t(chat.prompt.size() / 4);
    std::int64_t completionTokens = 1;
    for (char ch : caption)
        completionTokens += ch == ' ' ? 1 : 0;
    const bool midError = faulty && kind == Fault::Kind::MidStreamError;
    const bool dropMid = faulty && kind == Fault::Kind::DropMidStream;

    // Split the caption in three, so a stream carries several deltas.
    std::vector<std::string> parts;
    const std::size_t third = std::max<std::size_t>(1, caption.size() / 3);
    for (std::size_t k = 0; k < caption.size(); k += third)
        parts.push_back(caption.substr(k, third));
    if (parts.empty())
        parts.emplace_back();

    if (chat.ollama) {
        if (!chat.stream && !midError) {
            const std::string body = json{
                {"model", chat.model},
                {"created_at", "2026-11-27T23:30:00Z"},
                {"message", {{"role", "assistant"}, {"content", caption}}},
                {"done", true},
                {"done_reason", finish},
                {"prompt_eval_count", promptTokens},
                {"eval_count",
                 completionTokens}}.dump();
            if (dropMid) {
                Step s;
                s.due = due;
                s.bytes = head(200, "application/json", body.size()) + body.substr(0, body.size() / 2);
                s.last = true;
                s.close = true;
                c.out.push_back(std::move(s));
                return;
            }
            plain(c, due, 200, "application/json", body);
            return;
        }
        std::vector<std::string> lines;
        for (std::size_t k = 0; k < parts.size(); ++k) {
            lines.push_back(json{{"model", chat.model},
                                 {"created_at", "2026-11-27T23:30:00Z"},
                                 {"message", {{"role", "assistant"}, {"content", parts[k]}}},
                                 {"done", false}}
                                .dump()
                            + "\n");
            if (midError && k == 0) {
                lines.push_back(json{{"error", "the model failed to generate a response"}}.dump() + "\n");
                break;
            }
        }
        if (!midError)
            lines.push_back(json{{"model", chat.model},
                                 {"created_at", "2026-11-27T23:30:00Z"},
                                 {"message", {{"role", "assistant"}, {"content", ""}}},
                                 {"done", true},
                                 {"done_reason", finish},
                                 {"prompt_eval_count", promptTokens},
                                 {"eval_count", completionTokens}}
                                .dump()
                            + "\n");
        chunked(c, due, "application/x-ndjson", lines, dropMid, chunkDelay);
        return;
    }

    // OpenAI protocol.
    const json usage = {{"prompt_tokens", promptTokens},
                        {"completion_tokens", completionTokens},
                        {"total_tokens", promptTokens + completionTokens}};
    if (!chat.stream) {
        json message = {{"role", "assistant"}, {"content", caption}, {"refusal", nullptr}};
        if (refusal) {
            message["content"] = nullptr;
            message["refusal"] = "I can't help with that.";
        }
        const std::string body = json{
            {"id", "chatcmpl-loopback"},
            {"object", "chat.completion"},
            {"created", 1741570283},
            {"model", chat.model},
            {"choices", {{{"index", 0}, {"message", message}, {"finish_reason", finish}}}},
            {"usage", usage}}.dump();
        if (dropMid) {
            Step s;
            s.due = due;
            s.bytes = head(200, "application/json", body.size()) + body.substr(0, body.size() / 2);
            s.last = true;
            s.close = true;
            c.out.push_back(std::move(s));
            return;
        }
        plain(c, due, 200, "application/json", body);
        return;
    }
    auto chunk = [&](const json& delta, const json& finishReason) {
        return "data: "
               + json{{"id", "chatcmpl-loopback"},
                      {"object", "chat.completion.chunk"},
                      {"created", 1741570283},
                      {"model", chat.model},
                      {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finishReason}}}}}
                     .dump()
               + "\n\n";
    };
    std::vector<std::string> events;
    events.push_back(": loopback keep-alive comment\n\n");
    events.push_back(chunk({{"role", "assistant"}, {"content", ""}}, nullptr));
    if (refusal) {
        events.push_back(chunk({{"refusal", "I can't help with that."}}, nullptr));
    } else {
        for (std::size_t k = 0; k < parts.size(); ++k) {
            events.push_back(chunk({{"content", parts[k]}}, nullptr));
            if (midError && k == 0) {
                events.push_back("data: "
                                 + json{{"error",
                                         {{"message", "The server had an error while processing your request."},
                                          {"type", "server_error"},
                                          {"param", nullptr},
                                          {"code", nullptr}}}}
                                       .dump()
                                 + "\n\n");
                break;
            }
        }
    }
    if (!midError) {
        events.push_back(chunk(json::object(), finish));
        if (chat.includeUsage)
            events.push_back("data: "
                             + json{{"id", "chatcmpl-loopback"},
                                    {"object", "chat.completion.chunk"},
                                    {"model", chat.model},
                                    {"choices", json::array()},
                                    {"usage", usage}}
                                   .dump()
                             + "\n\n");
        events.push_back("data: [DONE]\n\n");
    }
    // Cut the stream at arbitrary places so that events arrive split across reads.
    std::string all;
    for (const std::string& e : events)
        all += e;
    std::vector<std::string> pieces;
    const std::size_t piece = dropMid ? all.size() / 3 : 61;
    for (std::size_t k = 0; k < all.size(); k += piece)
        pieces.push_back(all.substr(k, piece));
    chunked(c, due, "text/event-stream", pieces, dropMid, chunkDelay);
}

void LoopbackServer::Impl::handle(Conn& c, Request&& r)
{
    const auto conn = r.headers.find("connection");
    c.closeAfter = conn != r.headers.end() && lower(conn->second) == "close";
    const std::string auth = r.headers.count("authorization") ? r.headers["authorization"] : std::string();
    const bool isChat = r.method == "POST" && (r.path == "/v1/chat/completions" || r.path == "/api/chat");
    std::string requiredKey;
    std::vector<std::string> modelList;
    {
        std::lock_guard lock(mutex);
        ++perPath[r.path];
        RecordedRequest rec;
        rec.method = r.method;
        rec.path = r.path;
        rec.authorization = auth;
        rec.bodySize = r.body.size();
        rec.atMs = nowMs();
        if (recordBodies)
            rec.body = r.body;
        recorded.push_back(std::move(rec));
        if (isChat) {
            ++chat;
            ++active;
            maxActive = std::max(maxActive, active);
        }
        requiredKey = this->requiredKey;
        modelList = models;
    }
    c.responding = true;
    c.chat = isChat;
    const std::int64_t now = nowMs();
    const bool ollamaPath = r.path.rfind("/api/", 0) == 0;

    if (!requiredKey.empty() && auth != "Bearer " + requiredKey && (r.path.rfind("/v1/", 0) == 0 || ollamaPath)) {
        // Like OpenAI, echo (part of) the key that was sent: the client must keep it out of its messages.
        const std::string sent = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : auth;
        const std::string message = "Incorrect API key provided: " + sent
                                    + ". You can find your API key at https://platform.openai.com/account/api-keys.";
        plain(c, now, 401, "application/json",
              json{{"error",
                    {{"message", message},
                     {"type", "invalid_request_error"},
                     {"param", nullptr},
                     {"code", "invalid_api_key"}}}}
                  .dump());
        return;
    }
    if (r.method == "GET" && r.path == "/v1/models") {
        json data = json::array();
        for (const std::string& m : modelList)
            data.push_back({{"id", m}, {"object", "model"}, {"owned_by", "loopback"}});
        plain(c, now, 200, "application/json", json{{"object", "list"}, {"data", data}}.dump());
        return;
    }
    if (r.method == "GET" && r.path == "/api/tags") {
        json data = json::array();
        for (const std::string& m : modelList)
            data.push_back({{"name", m}, {"model", m}, {"size", 4000000000LL}, {"details", {{"family", "llava"}}}});
        plain(c, now, 200, "application/json", json{{"models", data}}.dump());
        return;
    }
    if (r.method == "GET" && r.path == "/health") {
        plain(c, now, 200, "application/json", R"({"status":"ok"})");
        return;
    }
    if (!isChat) {
        plain(c, now, 404, "application/json",
              ollamaPath ? json{{"error", "404 page not found"}}.dump()
                         : json{{"error",
                                 {{"message", "Unknown path " + r.path},
                                  {"type", "invalid_request_error"},
                                  {"param", nullptr},
                                  {"code", nullptr}}}}
                               .dump());
        return;
    }

    Chat chatReq;
    chatReq.ollama = r.path == "/api/chat";
    // The image is nearly all of the body: cut it out before parsing (base64 holds no quotes), so
    // the server's own cost stays small next to the client's it is there to measure.
    static const std::string kImage = "@IMAGE@";
    std::string imageData;
    std::string slim;
    {
        std::size_t start = std::string::npos;
        std::size_t end = std::string::npos;
        if (const std::size_t at = r.body.find(";base64,"); at != std::string::npos) {
            start = r.body.rfind('"', at);
            start = start == std::string::npos ? start : start + 1;
            end = r.body.find('"', at);
        } else if (const std::size_t images = r.body.find("\"images\":[\""); images != std::string::npos) {
            start = images + 11;
            end = r.body.find('"', start);
        }
        if (start != std::string::npos && end != std::string::npos && end > start) {
            imageData = r.body.substr(start, end - start);
            slim = r.body.substr(0, start) + kImage + r.body.substr(end);
        }
    }
    const json body = json::parse(slim.empty() ? r.body : slim, nullptr, false);
    if (!body.is_object()) {
        plain(c, now, 400, "application/json",
              chatReq.ollama ? json{{"error", "invalid JSON"}}.dump()
                             : json{{"error",
                                     {{"message", "We could not parse the JSON body of your request."},
                                      {"type", "invalid_request_error"},
                                      {"param", nullptr},
                                      {"code", nullptr}}}}
                                   .dump());
        return;
    }
    chatReq.model = body.value("model", std::string());
    if (chatReq.ollama) {
        chatReq.stream = body.value("stream", true); // Ollama streams unless told not to
        chatReq.structured = body.contains("format");
    } else {
        chatReq.stream = body.value("stream", false);
        chatReq.structured = body.contains("response_format");
        if (const auto so = body.find("stream_options"); so != body.end() && so->is_object())
            chatReq.includeUsage = so->value("include_usage", false);
    }
    if (const auto messages = body.find("messages"); messages != body.end() && messages->is_array()) {
        for (const json& m : *messages) {
            if (!m.is_object())
                continue;
            const auto content = m.find("content");
            if (content != m.end() && content->is_string())
                chatReq.prompt = content->get<std::string>();
            if (content != m.end() && content->is_array()) {
                for (const json& part : *content) {
                    const std::string type = part.value("type", std::string());
                    if (type == "text")
                        chatReq.prompt = part.value("text", std::string());
                    else if (type == "image_url" && part.contains("image_url"))
                        chatReq.image = part["image_url"].is_object() ? part["image_url"].value("url", std::string())
                                                                      : part["image_url"].get<std::string>();
                }
            }
            if (const auto images = m.find("images"); images != m.end() && images->is_array() && !images->empty())
                chatReq.image = (*images)[0].get<std::string>();
        }
    }
    if (chatReq.image == kImage)
        chatReq.image = std::move(imageData);
    if (chatReq.model.empty() || chatReq.image.empty()) {
        plain(c, now, 400, "application/json",
              json{{"error",
                    {{"message", "model and an image are required"},
                     {"type", "invalid_request_error"},
                     {"param", nullptr},
                     {"code", nullptr}}}}
                  .dump());
        return;
    }

    std::optional<Fault> fault;
    {
        std::lock_guard lock(mutex);
        for (Fault& f : faults) {
            if (f.times == 0)
                continue;
            if (!f.match.empty() && r.body.find(f.match) == std::string::npos)
                continue;
            if (f.times > 0)
                --f.times;
            fault = f;
            break;
        }
    }
    answerChat(c, chatReq, fault);
}

void LoopbackServer::Impl::parse(Conn& c)
{
    while (!c.responding && !c.dead) {
        const std::size_t end = c.in.find("\r\n\r\n");
        if (end == std::string::npos)
            return;
        Request r;
        const std::string headerText = c.in.substr(0, end);
        std::size_t lineEnd = headerText.find("\r\n");
        const std::string requestLine = headerText.substr(0, lineEnd);
        const std::size_t sp1 = requestLine.find(' ');
        const std::size_t sp2 = requestLine.find(' ', sp1 + 1);
        if (sp1 == std::string::npos || sp2 == std::string::npos) {
            c.dead = true;
            return;
        }
        r.method = requestLine.substr(0, sp1);
        r.path = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
        std::size_t pos = lineEnd == std::string::npos ? headerText.size() : lineEnd + 2;
        while (pos < headerText.size()) {
            std::size_t next = headerText.find("\r\n", pos);
            if (next == std::string::npos)
                next = headerText.size();
            const std::string line = headerText.substr(pos, next - pos);
            const std::size_t colon = line.find(':');
            if (colon != std::string::npos) {
                std::string value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ')
                    value.erase(0, 1);
                r.headers[lower(line.substr(0, colon))] = value;
            }
            pos = next + 2;
        }
        std::size_t length = 0;
        if (const auto cl = r.headers.find("content-length"); cl != r.headers.end())
            length = std::stoul(cl->second);
        if (const auto ex = r.headers.find("expect"); ex != r.headers.end() && lower(ex->second) == "100-continue") {
            r.headers.erase("expect");
            // Rewrite the request without the Expect header so this answer is given only once.
            const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
            ::send(c.fd, interim.data(), interim.size(), MSG_NOSIGNAL);
            const std::size_t at = lower(c.in.substr(0, end)).find("\r\nexpect:");
            if (at != std::string::npos) {
                const std::size_t stop = c.in.find("\r\n", at + 2);
                c.in.erase(at, stop - at);
                continue;
            }
        }
        if (c.in.size() < end + 4 + length)
            return;
        r.body = c.in.substr(end + 4, length);
        c.in.erase(0, end + 4 + length);
        handle(c, std::move(r));
    }
}

void LoopbackServer::Impl::readable(Conn& c)
{
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            c.in.append(buffer, std::size_t(n));
            continue;
        }
        if (n == 0) {
            c.dead = true;
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            c.dead = true;
        break;
    }
    parse(c);
}

void LoopbackServer::Impl::finishResponse(Conn& c)
{
    if (c.chat) {
        std::lock_guard lock(mutex);
        --active;
    }
    c.chat = false;
    c.responding = false;
}

void LoopbackServer::Impl::writable(Conn& c)
{
    const std::int64_t now = nowMs();
    while (!c.out.empty() && c.out.front().due <= now) {
        Step& s = c.out.front();
        while (c.outPos < s.bytes.size()) {
            const ssize_t n = ::send(c.fd, s.bytes.data() + c.outPos, s.bytes.size() - c.outPos, MSG_NOSIGNAL);
            if (n > 0) {
                c.outPos += std::size_t(n);
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            c.dead = true;
            return;
        }
        const bool last = s.last;
        const bool close = s.close;
        c.out.pop_front();
        c.outPos = 0;
        if (last) {
            finishResponse(c);
            if (close) {
                c.dead = true;
                return;
            }
            parse(c); // a request that arrived meanwhile on this connection
        }
    }
}

void LoopbackServer::Impl::loop()
{
    std::vector<pollfd> fds;
    std::vector<Conn*> order;
    while (!quit.load()) {
        fds.clear();
        order.clear();
        fds.push_back({wakePipe[0], POLLIN, 0});
        fds.push_back({listenFd, POLLIN, 0});
        const std::int64_t now = nowMs();
        int timeout = 100;
        for (Conn& c : conns) {
            short events = c.responding ? 0 : POLLIN;
            if (!c.out.empty()) {
                if (c.out.front().due <= now)
                    events |= POLLOUT;
                else
                    timeout = int(std::min<std::int64_t>(timeout, c.out.front().due - now));
            }
            if (c.responding)
                events |= POLLIN; // notice a client that gives up (reads as EOF)
            fds.push_back({c.fd, events, 0});
            order.push_back(&c);
        }
        const int ready = ::poll(fds.data(), fds.size(), std::max(timeout, 0));
        if (ready < 0 && errno != EINTR)
            break;
        if (fds[0].revents & POLLIN) {
            char drain[64];
            while (::read(wakePipe[0], drain, sizeof drain) > 0) {
            }
        }
        if (fds[1].revents & POLLIN) {
            for (;;) {
                const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0)
                    break;
                const int one = 1;
                ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                Conn c;
                c.fd = fd;
                conns.push_back(std::move(c));
            }
        }
        for (std::size_t k = 0; k < order.size(); ++k) {
            Conn& c = *order[k];
            const short re = fds[k + 2].revents;
            if (re & (POLLIN | POLLHUP | POLLERR)) {
                if (c.responding) {
                    // Only EOF matters while answering; keep further bytes for the next request.
                    char buffer[65536];
                    const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
                    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                        c.dead = true;
                    else if (n > 0)
                        c.in.append(buffer, std::size_t(n));
                } else {
                    readable(c);
                }
            }
            if (!c.dead)
                writable(c);
        }
        for (auto it = conns.begin(); it != conns.end();) {
            if (it->dead) {
                if (it->responding)
                    finishResponse(*it);
                ::close(it->fd);
                it = conns.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (Conn& c : conns)
        ::close(c.fd);
    conns.clear();
}

// ---- LoopbackServer -----------------------------------------------------------------------------

LoopbackServer::LoopbackServer()
    : d(std::make_unique<Impl>())
{
}

LoopbackServer::~LoopbackServer()
{
    stop();
}

void LoopbackServer::start()
{
    if (d->thread.joinable())
        return;
    d->listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (d->listenFd < 0)
        throw std::runtime_error("loopback server: socket() failed");
    const int one = 1;
    ::setsockopt(d->listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(d->listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(d->listenFd, 512) != 0)
        throw std::runtime_error("loopback server: cannot listen on 127.0.0.1");
    socklen_t len = sizeof addr;
    ::getsockname(d->listenFd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    if (::pipe2(d->wakePipe, O_NONBLOCK | O_CLOEXEC) != 0)
        throw std::runtime_error("loopback server: pipe() failed");
    d->quit.store(false);
    d->thread = std::thread([this] { d->loop(); });
}

void LoopbackServer::stop()
{
    if (!d->thread.joinable())
        return;
    d->quit.store(true);
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(d->wakePipe[1], &byte, 1);
    d->thread.join();
    ::close(d->listenFd);
    ::close(d->wakePipe[0]);
    ::close(d->wakePipe[1]);
    d->listenFd = d->wakePipe[0] = d->wakePipe[1] = -1;
}

std::string LoopbackServer::url() const
{
    return "http://127.0.0.1:" + std::to_string(m_port);
}

void LoopbackServer::addFault(const Fault& fault)
{
    std::lock_guard lock(d->mutex);
    d->faults.push_back(fault);
}

void LoopbackServer::clearFaults()
{
    std::lock_guard lock(d->mutex);
    d->faults.clear();
}

void LoopbackServer::setDelayMs(int ms)
{
    std::lock_guard lock(d->mutex);
    d->delayMs = ms;
}

void LoopbackServer::setChunkDelayMs(int ms)
{
    std::lock_guard lock(d->mutex);
    d->chunkDelayMs = ms;
}

void LoopbackServer::setRequiredKey(const std::string& key)
{
    std::lock_guard lock(d->mutex);
    d->requiredKey = key;
}

void LoopbackServer::setModels(const std::vector<std::string>& models)
{
    std::lock_guard lock(d->mutex);
    d->models = models;
}

void LoopbackServer::setRecordBodies(bool record)
{
    std::lock_guard lock(d->mutex);
    d->recordBodies = record;
}

int LoopbackServer::chatRequests() const
{
    std::lock_guard lock(d->mutex);
    return d->chat;
}

int LoopbackServer::requests(const std::string& path) const
{
    std::lock_guard lock(d->mutex);
    const auto it = d->perPath.find(path);
    return it == d->perPath.end() ? 0 : it->second;
}

int LoopbackServer::chatRequestsMatching(const std::string& needle) const
{
    std::lock_guard lock(d->mutex);
    int n = 0;
    for (const RecordedRequest& r : d->recorded)
        if ((r.path == "/v1/chat/completions" || r.path == "/api/chat") && r.body.find(needle) != std::string::npos)
            ++n;
    return n;
}

int LoopbackServer::maxInFlight() const
{
    std::lock_guard lock(d->mutex);
    return d->maxActive;
}

std::vector<RecordedRequest> LoopbackServer::recorded() const
{
    std::lock_guard lock(d->mutex);
    return d->recorded;
}

void LoopbackServer::resetStats()
{
    std::lock_guard lock(d->mutex);
    d->perPath.clear();
    d->chat = 0;
    d->maxActive = d->active;
    d->recorded.clear();
}

std::string LoopbackServer::captionFor(const std::string& prompt, const std::string& imageData)
{
    // The same image hashes the same whether it came as a data URL (OpenAI) or raw base64 (Ollama).
    std::string data = imageData;
    if (data.rfind("data:", 0) == 0 && data.find(',') != std::string::npos)
        data = data.substr(data.find(',') + 1);
    std::string first = prompt.substr(0, prompt.find('\n'));
    if (first.size() > 200)
        first.resize(200);
    char hash[32];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(data)));
    return "Caption of image " + std::string(hash, 12) + " for: " + first;
}

} // namespace facet::test
