#include "ingest/input.hpp"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <condition_variable>
#include <algorithm>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pgadvisor::ingest {
namespace {

// Raw bytes of a FILE*, with the bytes already peeked for magic detection served first.
class FileSource : public ByteSource {
public:
    FileSource(std::FILE* f, bool owned) : f_(f), owned_(owned) {}
    ~FileSource() override {
        if (owned_ && f_) std::fclose(f_);
    }
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    std::string_view peek(std::size_t n) {
        while (head_.size() < n) {
            char tmp[64];
            std::size_t got = std::fread(tmp, 1, std::min(sizeof tmp, n - head_.size()), f_);
            if (got == 0) break;
            head_.append(tmp, got);
        }
        return head_;
    }
    std::size_t read(char* buf, std::size_t n) override {
        if (head_pos_ < head_.size()) {
            std::size_t k = std::min(n, head_.size() - head_pos_);
            std::memcpy(buf, head_.data() + head_pos_, k);
            head_pos_ += k;
            return k;
        }
        return std::fread(buf, 1, n, f_);
    }

private:
    std::FILE* f_;
    bool owned_;
    std::string head_;
    std::size_t head_pos_ = 0;
};

class GzipSource : public ByteSource {
public:
    explicit GzipSource(std::unique_ptr<ByteSource> in) : in_(std::move(in)), inbuf_(1 << 16) {
        std::memset(&zs_, 0, sizeof zs_);
        ok_ = inflateInit2(&zs_, 15 + 32) == Z_OK;  // 32: accept a gzip header
        if (!ok_) error_ = "zlib initialisation failed";
    }
    ~GzipSource() override { inflateEnd(&zs_); }
    GzipSource(const GzipSource&) = delete;
    GzipSource& operator=(const GzipSource&) = delete;

    std::size_t read(char* buf, std::size_t n) override {
        if (!ok_ || done_) return 0;
        zs_.next_out = reinterpret_cast<Bytef*>(buf);
        zs_.avail_out = static_cast<uInt>(n);
        while (zs_.avail_out == n) {
            if (zs_.avail_in == 0) {
                std::size_t got = in_->read(inbuf_.data(), inbuf_.size());
                if (got == 0) {
                    if (!stream_end_) error_ = "gzip data ends early (truncated file)";
                    done_ = true;
                    break;
                }
                zs_.next_in = reinterpret_cast<Bytef*>(inbuf_.data());
                zs_.avail_in = static_cast<uInt>(got);
            }
            stream_end_ = false;
            int rc = inflate(&zs_, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                // Concatenated gzip members (as `cat a.gz b.gz` makes) continue.
                stream_end_ = true;
                inflateReset(&zs_);
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                error_ = std::string("gzip data is corrupt: ") + (zs_.msg ? zs_.msg : "inflate failed");
                done_ = true;
                break;
            }
        }
        return n - zs_.avail_out;
    }

private:
    std::unique_ptr<ByteSource> in_;
    std::vector<char> inbuf_;
    z_stream zs_;
    bool ok_ = false, done_ = false, stream_end_ = false;
};

class ZstdSource : public ByteSource {
public:
    explicit ZstdSource(std::unique_ptr<ByteSource> in)
        : in_(std::move(in)), inbuf_(ZSTD_DStreamInSize()), ds_(ZSTD_createDStream()) {
        ZSTD_initDStream(ds_);
    }
    ~ZstdSource() override { ZSTD_freeDStream(ds_); }
    ZstdSource(const ZstdSource&) = delete;
    ZstdSource& operator=(const ZstdSource&) = delete;

    std::size_t read(char* buf, std::size_t n) override {
        if (done_) return 0;
        ZSTD_outBuffer out{buf, n, 0};
        while (out.pos == 0) {
            if (in_pos_ == in_size_) {
                in_size_ = in_->read(inbuf_.data(), inbuf_.size());
                in_pos_ = 0;
                if (in_size_ == 0) {
                    if (!frame_done_) error_ = "zstd data ends early (truncated file)";
                    done_ = true;
                    break;
                }
            }
            ZSTD_inBuffer inb{inbuf_.data(), in_size_, in_pos_};
            std::size_t rc = ZSTD_decompressStream(ds_, &out, &inb);
            in_pos_ = inb.pos;
            if (ZSTD_isError(rc)) {
                error_ = std::string("zstd data is corrupt: ") + ZSTD_getErrorName(rc);
                done_ = true;
                break;
            }
            frame_done_ = rc == 0;
        }
        return out.pos;
    }

private:
    std::unique_ptr<ByteSource> in_;
    std::vector<char> inbuf_;
    ZSTD_DStream* ds_;
    std::size_t in_pos_ = 0, in_size_ = 0;
    bool done_ = false, frame_done_ = true;
};

// bzip2 as bzip2(1) writes it; several streams one after the other (pbzip2, `cat a.bz2 b.bz2`) continue.
class Bzip2Source : public ByteSource {
public:
    explicit Bzip2Source(std::unique_ptr<ByteSource> in) : in_(std::move(in)), inbuf_(1 << 16) { start_stream(); }
    ~Bzip2Source() override {
        if (ok_) BZ2_bzDecompressEnd(&bz_);
    }
    Bzip2Source(const Bzip2Source&) = delete;
    Bzip2Source& operator=(const Bzip2Source&) = delete;

    std::size_t read(char* buf, std::size_t n) override {
        if (!ok_ || done_) return 0;
        bz_.next_out = buf;
        bz_.avail_out = static_cast<unsigned>(n);
        while (bz_.avail_out == n) {
            if (bz_.avail_in == 0 && !refill()) break;
            if (stream_end_ && !start_stream()) break;  // more bytes after a stream's end: the next stream
            int rc = BZ2_bzDecompress(&bz_);
            if (rc == BZ_STREAM_END) {
                stream_end_ = true;
            } else if (rc != BZ_OK) {
                fail("bzip2 data is corrupt (error " + std::to_string(rc) + ")");
                break;
            }
        }
        return n - bz_.avail_out;
    }

private:
    // A new decoder that goes on where the last one stopped, in its input and its output.
    bool start_stream() {
        if (ok_) BZ2_bzDecompressEnd(&bz_);
        const bz_stream at = bz_;
        std::memset(&bz_, 0, sizeof bz_);
        ok_ = BZ2_bzDecompressInit(&bz_, 0, 0) == BZ_OK;  // small = 0: at most ~3.6 MB of state
        if (!ok_) return fail("bzip2 initialisation failed");
        bz_.next_in = at.next_in;
        bz_.avail_in = at.avail_in;
        bz_.next_out = at.next_out;
        bz_.avail_out = at.avail_out;
        stream_end_ = false;
        return true;
    }
    bool refill() {
        std::size_t got = in_->read(inbuf_.data(), inbuf_.size());
        if (got == 0) {
            if (!stream_end_) error_ = "bzip2 data ends early (truncated file)";
            done_ = true;
            return false;
        }
        bz_.next_in = inbuf_.data();
        bz_.avail_in = static_cast<unsigned>(got);
        return true;
    }
    bool fail(std::string why) {
        error_ = std::move(why);
        done_ = true;
        return false;
    }

    std::unique_ptr<ByteSource> in_;
    std::vector<char> inbuf_;
    bz_stream bz_{};
    bool ok_ = false, done_ = false, stream_end_ = false;
};

// xz as xz(1) writes it (concatenated streams too), within kMaxDecoderMemoryBytes.
class XzSource : public ByteSource {
public:
    explicit XzSource(std::unique_ptr<ByteSource> in) : in_(std::move(in)), inbuf_(1 << 16) {
        if (lzma_stream_decoder(&xz_, kMaxDecoderMemoryBytes, LZMA_CONCATENATED) != LZMA_OK) {
            error_ = "xz initialisation failed";
            done_ = true;
        }
    }
    ~XzSource() override { lzma_end(&xz_); }
    XzSource(const XzSource&) = delete;
    XzSource& operator=(const XzSource&) = delete;

    std::size_t read(char* buf, std::size_t n) override {
        if (done_) return 0;
        xz_.next_out = reinterpret_cast<std::uint8_t*>(buf);
        xz_.avail_out = n;
        while (xz_.avail_out == n && !done_) {
            if (xz_.avail_in == 0 && !input_ended_) {
                std::size_t got = in_->read(inbuf_.data(), inbuf_.size());
                input_ended_ = got == 0;
                xz_.next_in = reinterpret_cast<const std::uint8_t*>(inbuf_.data());
                xz_.avail_in = got;
            }
            // LZMA_CONCATENATED needs LZMA_FINISH to know the last stream has ended.
            lzma_ret rc = lzma_code(&xz_, input_ended_ ? LZMA_FINISH : LZMA_RUN);
            if (rc == LZMA_STREAM_END) done_ = true;
            else if (rc != LZMA_OK) fail(rc);
        }
        return n - xz_.avail_out;
    }

private:
    void fail(lzma_ret rc) {
        done_ = true;
        if (rc == LZMA_BUF_ERROR) error_ = "xz data ends early (truncated file)";
        else if (rc == LZMA_MEMLIMIT_ERROR)
            error_ = "xz data needs more than " + size_text(kMaxDecoderMemoryBytes) + " to decompress, not read";
        else error_ = "xz data is corrupt (lzma error " + std::to_string(static_cast<int>(rc)) + ")";
    }

    std::unique_ptr<ByteSource> in_;
    std::vector<char> inbuf_;
    lzma_stream xz_ = LZMA_STREAM_INIT;
    bool done_ = false, input_ended_ = false;
};

// Decompression on its own thread: the parsing thread takes ready 1 MB blocks
// from a bounded queue (at most 4 in flight, so memory stays flat).
class ReadAheadSource : public ByteSource {
public:
    explicit ReadAheadSource(std::unique_ptr<ByteSource> in) : in_(std::move(in)), worker_([this] { run(); }) {}
    ~ReadAheadSource() override {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
        }
        not_full_.notify_all();
        worker_.join();
    }
    ReadAheadSource(const ReadAheadSource&) = delete;
    ReadAheadSource& operator=(const ReadAheadSource&) = delete;

    std::size_t read(char* buf, std::size_t n) override {
        while (pos_ == cur_.size()) {
            std::unique_lock lock(mu_);
            not_empty_.wait(lock, [&] { return !queue_.empty() || eof_; });
            if (queue_.empty()) {
                error_ = inner_error_;
                return 0;
            }
            cur_ = std::move(queue_.front());
            queue_.pop_front();
            pos_ = 0;
            not_full_.notify_one();
        }
        std::size_t k = std::min(n, cur_.size() - pos_);
        std::memcpy(buf, cur_.data() + pos_, k);
        pos_ += k;
        return k;
    }

private:
    void run() {
        for (;;) {
            std::string block(1 << 20, '\0');
            std::size_t got = 0;
            while (got < block.size()) {
                std::size_t r = in_->read(block.data() + got, block.size() - got);
                if (r == 0) break;
                got += r;
            }
            block.resize(got);
            std::unique_lock lock(mu_);
            if (got == 0) {
                eof_ = true;
                inner_error_ = in_->error();
                not_empty_.notify_one();
                return;
            }
            not_full_.wait(lock, [&] { return queue_.size() < 4 || stop_; });
            if (stop_) return;
            queue_.push_back(std::move(block));
            not_empty_.notify_one();
        }
    }

    std::unique_ptr<ByteSource> in_;
    std::deque<std::string> queue_;
    std::string cur_;
    std::size_t pos_ = 0;
    std::mutex mu_;
    std::condition_variable not_empty_, not_full_;
    bool eof_ = false, stop_ = false;
    std::string inner_error_;
    std::thread worker_;  // last: starts after the members it uses exist
};

}  // namespace

namespace {
bool starts_with_bytes(std::string_view head, std::initializer_list<unsigned char> magic) {
    if (head.size() < magic.size()) return false;
    std::size_t i = 0;
    for (unsigned char m : magic)
        if (static_cast<unsigned char>(head[i++]) != m) return false;
    return true;
}
}  // namespace

// The formats' magic numbers: gzip 1f 8b (RFC 1952), zstd 28 b5 2f fd (RFC 8878), bzip2 "BZh"
// and a block size digit 1-9, xz fd "7zXZ" 00 (the .xz file format, section 2.1.1.1).
Compression detect_compression(std::string_view head) {
    if (starts_with_bytes(head, {0x1f, 0x8b})) return Compression::Gzip;
    if (starts_with_bytes(head, {0x28, 0xb5, 0x2f, 0xfd})) return Compression::Zstd;
    if (starts_with_bytes(head, {'B', 'Z', 'h'}) && head.size() >= 4 && head[3] >= '1' && head[3] <= '9')
        return Compression::Bzip2;
    if (starts_with_bytes(head, {0xfd, '7', 'z', 'X', 'Z', 0x00})) return Compression::Xz;
    return Compression::None;
}

const char* compression_name(Compression c) {
    switch (c) {
        case Compression::None: return "";
        case Compression::Gzip: return "gzip";
        case Compression::Zstd: return "zstd";
        case Compression::Bzip2: return "bzip2";
        case Compression::Xz: return "xz";
    }
    return "";
}

std::size_t MemorySource::read(char* buf, std::size_t n) {
    const std::size_t k = std::min(n, bytes_.size() - pos_);
    if (k) std::memcpy(buf, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
}

OpenResult open_input(const std::string& path) {
    OpenResult r;
    std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (!f) {
        r.error = std::strerror(errno);
        return r;
    }
    auto file = std::make_unique<FileSource>(f, path != "-");
    r.compression = detect_compression(file->peek(6));
    switch (r.compression) {
        case Compression::Gzip:
            r.source = std::make_unique<ReadAheadSource>(std::make_unique<GzipSource>(std::move(file)));
            break;
        case Compression::Zstd:
            r.source = std::make_unique<ReadAheadSource>(std::make_unique<ZstdSource>(std::move(file)));
            break;
        case Compression::Bzip2:
            r.source = std::make_unique<ReadAheadSource>(std::make_unique<Bzip2Source>(std::move(file)));
            break;
        case Compression::Xz:
            r.source = std::make_unique<ReadAheadSource>(std::make_unique<XzSource>(std::move(file)));
            break;
        case Compression::None: r.source = std::move(file); break;
    }
    return r;
}

WholeFile read_whole_file(const std::string& path, std::size_t max_bytes) {
    WholeFile out;
    auto opened = open_input(path);
    if (!opened.source) {
        out.error = opened.error;
        return out;
    }
    std::string text;
    std::vector<char> block(kBinaryProbeBytes);
    bool probed = false;  // reads may be short (the peeked magic bytes come alone): probe a full block
    for (;;) {
        const std::size_t got = opened.source->read(block.data(), block.size());
        if (text.size() + got > max_bytes) {
            out.error = "larger than the " + size_text(max_bytes) + " cap, not read";
            return out;
        }
        text.append(block.data(), got);
        if (!probed && (text.size() >= kBinaryProbeBytes || got == 0)) {
            probed = true;
            const std::string_view head = std::string_view(text).substr(0, kBinaryProbeBytes);
            if (block_is_binary(head)) {
                out.error = binary_data_error(head.size());
                return out;
            }
        }
        if (got == 0) break;
    }
    if (!opened.source->error().empty()) {
        out.error = opened.source->error();
        return out;
    }
    out.text = std::move(text);
    return out;
}

bool LineReader::fill() {
    if (eof_) return false;
    if (begin_ > 0) {
        std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == buf_.size()) return true;  // caller handles a full buffer
    std::size_t got = src_.read(buf_.data() + end_, buf_.size() - end_);
    if (got == 0) eof_ = true;
    end_ += got;
    return got > 0;
}

std::string_view LineReader::peek(std::size_t n) {
    while (end_ - begin_ < n && !eof_) {
        if (end_ == buf_.size()) break;
        fill();
    }
    return std::string_view(buf_.data() + begin_, std::min(n, end_ - begin_));
}

// Where the line starting at begin_ ends, scanning from scan_from: the offset of
// its terminator and the terminator's length ("\n", "\r\n", or a lone "\r" as old
// Mac files end lines); nullopt when the buffer holds no whole terminator yet.
std::optional<std::pair<std::size_t, std::size_t>> LineReader::find_line_end(std::size_t scan_from) const {
    const char* base = buf_.data();
    const void* nl = std::memchr(base + scan_from, '\n', end_ - scan_from);
    std::size_t nl_pos = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) : end_;
    const void* cr = std::memchr(base + scan_from, '\r', nl_pos - scan_from);
    if (cr) {
        std::size_t cr_pos = static_cast<std::size_t>(static_cast<const char*>(cr) - base);
        if (cr_pos + 1 == nl_pos && nl) return std::pair{cr_pos, std::size_t{2}};
        // A CR at the end of what was read may be the first half of a CR LF.
        if (cr_pos + 1 < end_ || eof_) return std::pair{cr_pos, std::size_t{1}};
        return std::nullopt;
    }
    if (nl) return std::pair{nl_pos, std::size_t{1}};
    return std::nullopt;
}

bool LineReader::next(std::string_view& line) {
    for (;;) {
        switch (read_line(line)) {
            case Read::Line: return true;
            case Read::Skipped: continue;
            case Read::End: return false;
        }
    }
}

// The line just counted was longer than the cap: say so once, with its number.
LineReader::Read LineReader::skip_line() {
    ++skipped_lines_;
    overflow_.clear();
    if (issues_)
        issues_->add(issue::kLineTooLong, file_, line_no_,
                     "line longer than the " + size_text(max_line_) + " cap, skipped");
    return Read::Skipped;
}

// A line past the cap that starts with binary data (a log followed by /dev/zero,
// a disk image): nothing after it is text either, so the input ends here.
bool LineReader::stop_if_binary(std::string_view line_start) {
    if (!block_is_binary(line_start.substr(0, kBinaryProbeBytes))) return false;
    stopped_on_binary_ = true;
    eof_ = true;
    begin_ = end_ = 0;
    overflow_.clear();
    if (issues_)
        issues_->add(issue::kBinary, file_, line_no_ + 1,
                     "binary data from this line on, the rest of the input not read");
    return true;
}

LineReader::Read LineReader::read_line(std::string_view& line) {
    if (stopped_on_binary_) return Read::End;
    overflow_.clear();
    bool too_long = false;  // past the cap: what comes of this line is dropped as it is read
    std::size_t scan_from = begin_;
    for (;;) {
        if (auto end = find_line_end(scan_from)) {
            auto [pos, terminator] = *end;
            std::size_t len = pos - begin_;
            ++line_no_;
            last_unterminated_ = false;
            const std::size_t start = begin_;
            begin_ = pos + terminator;
            if (too_long || overflow_.size() + len > max_line_) return skip_line();
            if (!overflow_.empty()) {
                overflow_.append(buf_.data() + start, len);
                line = overflow_;
            } else {
                line = std::string_view(buf_.data() + start, len);
            }
            return Read::Line;
        }
        if (eof_) {
            if (begin_ == end_ && overflow_.empty() && !too_long) return Read::End;
            ++line_no_;
            last_unterminated_ = true;
            std::size_t len = end_ - begin_;
            const std::size_t start = begin_;
            begin_ = end_;
            if (too_long || overflow_.size() + len > max_line_) return skip_line();
            overflow_.append(buf_.data() + start, len);
            line = overflow_;
            return Read::Line;
        }
        // No whole line in the buffer. A CR in its last byte stays: it may be half of a CR LF.
        const std::size_t keep = end_ > begin_ && buf_[end_ - 1] == '\r' ? 1 : 0;
        if (!too_long && overflow_.size() + (end_ - begin_) > max_line_) {
            std::string_view line_start = overflow_.empty() ? std::string_view(buf_.data() + begin_, end_ - begin_)
                                                            : std::string_view(overflow_);
            if (stop_if_binary(line_start)) return Read::End;
            too_long = true;
            overflow_.clear();
            overflow_.shrink_to_fit();
        }
        if (too_long) {
            begin_ = end_ - keep;
        } else if (begin_ == 0 && end_ == buf_.size()) {
            // A line longer than the buffer (and within the cap): keep it in overflow_ and go on.
            overflow_.append(buf_.data(), end_ - keep);
            buf_[0] = buf_[end_ - 1];
            begin_ = 0;
            end_ = keep;
        }
        std::size_t pending = end_ - begin_;
        fill();
        // Scan again from the last byte when it is a CR: the next one may be its LF.
        scan_from = begin_ + pending - (pending > 0 && buf_[begin_ + pending - 1] == '\r' ? 1 : 0);
    }
}

std::size_t find_invalid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t n = s.size(), i = 0;
    while (i < n) {
        // Fast path over ASCII, 8 bytes at a time.
        while (i + 8 <= n) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len = (c >= 0xc2 && c <= 0xdf) ? 2 : (c >= 0xe0 && c <= 0xef) ? 3 : (c >= 0xf0 && c <= 0xf4) ? 4 : 0;
        if (len == 0 || i + len > n) return i;
        for (int k = 1; k < len; ++k)
            if ((p[i + k] & 0xc0) != 0x80) return i;
        if (c == 0xe0 && p[i + 1] < 0xa0) return i;  // overlong
        if (c == 0xed && p[i + 1] > 0x9f) return i;  // surrogate
        if (c == 0xf0 && p[i + 1] < 0x90) return i;
        if (c == 0xf4 && p[i + 1] > 0x8f) return i;
        i += len;
    }
    return std::string_view::npos;
}

std::size_t plain_text_length(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    const auto plain = [](unsigned char c) { return (c >= 0x20 && c < 0x80) || c == '\t'; };
    std::size_t i = 0;
#if defined(__SSE2__)
    // 16 bytes at a time (every line is checked: issue 17). Read as signed, a plain byte is a
    // tab or at least 0x20; those of 0x80 or more are negative.
    const auto not_plain_at = [p](std::size_t at) {  // a bit for each of the 16 bytes at `at` that is not plain
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
        const __m128i below_space = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
        return static_cast<unsigned>(
            _mm_movemask_epi8(_mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')), below_space)));
    };
    for (; i + 16 <= n; i += 16)
        if (const unsigned mask = not_plain_at(i); mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
    if (n >= 16) {
        // The last bytes: the 16 that end the line, those before i left out.
        const std::size_t at = n - 16;
        const unsigned mask = not_plain_at(at) & (~0u << (i - at));
        return mask != 0 ? at + static_cast<std::size_t>(__builtin_ctz(mask)) : n;
    }
#endif
    while (i + 8 <= n) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        // A byte below 0x20 borrows into its high bit; one of 0x80 or more has it set.
        if ((((w - 0x2020202020202020ULL) | w) & 0x8080808080808080ULL) == 0) {
            i += 8;
            continue;
        }
        for (const std::size_t word_end = i + 8; i < word_end; ++i)  // a tab, or the first byte that is not plain
            if (!plain(p[i])) return i;
    }
    while (i < n && plain(p[i])) ++i;
    return i;
}

bool looks_binary(std::string_view s) {
    const std::size_t n = s.size();
    std::size_t i = 0;
    // 8 bytes at a time: is any byte below 0x20? (Tabs are, so a hit is checked byte by byte.)
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        if (((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL) == 0) continue;
        for (std::size_t k = i; k < i + 8; ++k) {
            unsigned char c = static_cast<unsigned char>(s[k]);
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0x1b) return true;
        }
    }
    for (; i < n; ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0x1b) return true;
    }
    return false;
}

}  // namespace pgadvisor::ingest
