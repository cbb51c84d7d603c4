/*
 * A CUDA driver emulator for tests on machines without an NVIDIA GPU: a libcuda.so.1 with the part of the
 * driver API the CUDA backend uses, behind JCuda's unmodified native library, whose kernels are the CUDA
 * build of Neurite's kernel sources (the .cu files nvcc compiles) compiled for the host and run with one
 * fiber per CUDA thread. It exercises everything on the Java side of the backend for real: JCuda's calls,
 * argument packing, launch shapes, contexts, streams, pinned staging, copies, the allocator. What it cannot
 * tell is whether the GPU code nvcc generates is right or fast; that needs a GPU (scripts/gpu/check.sh).
 *
 * It is stricter than a GPU where a GPU would misbehave silently or only sometimes:
 *  - Streams are lazy: work is queued and runs only when the host waits (cuStreamSynchronize, or a call that
 *    synchronizes), so a host that reads a result or reuses a staging buffer without waiting gets wrong data
 *    every time instead of once in a while.
 *  - Every call that needs a context checks that one is current on the calling thread.
 *  - Copies and memsets must lie inside one live allocation; kernel pointer arguments must point into one.
 *  - Allocations are filled with NaN bytes (reliance on cuMemAlloc returning zeros shows) and followed by a
 *    guard band that is checked after every operation that wrote to them (writes past the end show).
 *  - Barriers: every thread of a block must reach the same barriers; a thread that exits while others wait,
 *    or two barriers at different places in one round, fail the launch (a hang or corruption on a GPU).
 *  - The kernels are compiled with -fsanitize=alignment,bounds,signed-integer-overflow: a misaligned float4
 *    load, an index outside a shared or register array, or int overflow in index arithmetic fails the launch.
 *  - With NEURITE_CUDA_EMULATOR_RACECHECK=1, every launch runs twice, forward and with blocks and threads in
 *    reverse, from the same buffers, and must give the same bytes: a result that depends on thread order is a
 *    data race that one fixed order would hide (see runChecked).
 * A failure prints "[cuda-emulator] ..." on stderr and becomes the CUDA error a GPU would give, sticky in
 * the context like a real launch failure, until the primary context is released.
 *
 * Environment: NEURITE_CUDA_EMULATOR_MEMORY_MB (device memory, default 2048), NEURITE_CUDA_EMULATOR_EAGER=1
 * (run work at once instead of at the next wait).
 */
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "cuda_host.h"
#include "registry.h"

#define API extern "C" __attribute__((visibility("default")))

#ifdef EMU_WITH_CUDA_H
// The real declarations (build.sh passes -DEMU_WITH_CUDA_H where nvcc's cuda.h is): every API function below
// must then match its prototype in cuda.h exactly, or this file does not compile.
#include <cuda.h>
#else
// The same names as cuda.h's, for machines without it.
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st* CUcontext;
typedef struct CUmod_st* CUmodule;
typedef struct CUfunc_st* CUfunction;
typedef struct CUstream_st* CUstream;
typedef enum CUdevice_attribute_enum { CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1 } CUdevice_attribute;
typedef enum cudaError_enum {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_IMAGE = 200,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_ILLEGAL_ADDRESS = 700,
    CUDA_ERROR_MISALIGNED_ADDRESS = 716,
    CUDA_ERROR_LAUNCH_FAILED = 719,
    CUDA_ERROR_NOT_SUPPORTED = 801,
} CUresult;
#endif

namespace emu {

ThreadState* current = nullptr;   // kernels run only under state().lock

namespace {

constexpr std::size_t GUARD = 256;        // guard band after every allocation
constexpr unsigned char GUARD_BYTE = 0xA5;
constexpr std::size_t ALIGN = 256;        // cuMemAlloc's alignment
constexpr int MAX_THREADS = 1024;

const char* reportPrefix = "[cuda-emulator] ";

void report(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::fputs(reportPrefix, stderr);
    std::vfprintf(stderr, fmt, ap);
    std::fputc('\n', stderr);
    std::fflush(stderr);
    va_end(ap);
}

std::unordered_map<std::string, Kernel>& kernels() {
    static std::unordered_map<std::string, Kernel> table;
    return table;
}

struct Allocation {
    std::size_t size;
    bool pinned;
};

struct Context {
    int refs = 0;
    CUresult sticky = CUDA_SUCCESS;   // a launch failure poisons the context until it is released
};

struct Stream;

struct State {
    std::recursive_mutex lock;
    bool initialized = false;
    std::size_t memory = 2048ull << 20;
    std::size_t used = 0;
    bool eager = false;
    bool raceCheck = false;
    Context primary;
    std::map<std::uintptr_t, Allocation> allocations;   // device and pinned host memory, by address
    std::vector<Stream*> streams;
};

State& state() {
    static State* s = new State();   // never destroyed: JVM threads may still call in at exit
    return *s;
}

thread_local Context* currentContext = nullptr;

/** The live allocation containing [p, p + bytes), or null. */
const std::pair<const std::uintptr_t, Allocation>* find(std::uintptr_t p, std::size_t bytes, bool pinned) {
    auto& all = state().allocations;
    auto it = all.upper_bound(p);
    if (it == all.begin()) {
        return nullptr;
    }
    --it;
    std::uintptr_t end = it->first + it->second.size;   // sizes are never 0 (allocate refuses it)
    if (it->second.pinned != pinned || p + bytes < p || p + bytes > end || (bytes == 0 && p >= end)) {
        return nullptr;
    }
    return &*it;
}

/** Checks the guard band of the allocation holding p; reports what overran it. */
bool guardIntact(std::uintptr_t p, const char* what) {
    auto* a = find(p, 0, false);
    if (a == nullptr) {
        return true;
    }
    const unsigned char* g = reinterpret_cast<const unsigned char*>(a->first + a->second.size);
    for (std::size_t i = 0; i < GUARD; i++) {
        if (g[i] != GUARD_BYTE) {
            report("%s wrote past the end of a %zu-byte device buffer (byte %zu after its end)", what, a->second.size,
                   i);
            std::memset(const_cast<unsigned char*>(g), GUARD_BYTE, GUARD);
            return false;
        }
    }
    return true;
}

// ---------------------------------------------------------------------------------------------------------
// Fibers: one per CUDA thread of the block being run, on stacks with a guard page each.

extern "C" void emu_switch(void** save, void* to);
asm(R"(
    .text
    .globl emu_switch
    .hidden emu_switch
    .type emu_switch,@function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");

enum FiberState { READY, AT_BARRIER, DONE };

struct Fiber {
    void* sp;
    ThreadState thread;
    FiberState state;
    void* site;   // the barrier it waits at
};

constexpr std::size_t STACK = 64 << 10;

struct Scheduler {
    char* stacks = nullptr;   // MAX_THREADS stacks, each below a guard page
    Fiber fibers[MAX_THREADS];
    int count = 0;
    int running = -1;
    void* home = nullptr;   // the scheduler's own stack pointer while a fiber runs
    const Body* body = nullptr;
    // What the sanitizer hooks and barrier checks found during this launch (first finding only).
    std::string fault;
    CUresult faultCode = CUDA_SUCCESS;

    Scheduler() {
        std::size_t slot = STACK + 4096;
        void* m = mmap(nullptr, slot * MAX_THREADS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        if (m == MAP_FAILED) {
            report("cannot map fiber stacks");
            std::abort();
        }
        stacks = static_cast<char*>(m);
        for (int i = 0; i < MAX_THREADS; i++) {
            mprotect(stacks + i * slot, 4096, PROT_NONE);
        }
    }

    char* stackTop(int i) {
        return stacks + static_cast<std::size_t>(i) * (STACK + 4096) + 4096 + STACK;
    }
};

Scheduler* scheduler = nullptr;   // one: kernels run only under state().lock

void fail(CUresult code, const std::string& message) {
    Scheduler* s = scheduler;
    if (s != nullptr && s->faultCode == CUDA_SUCCESS) {
        s->faultCode = code;
        s->fault = message;
    }
}

[[noreturn]] void fiberEntry() {
    Scheduler* s = scheduler;
    (*s->body)();
    Fiber& f = s->fibers[s->running];
    f.state = DONE;
    void* dead;
    emu_switch(&dead, s->home);
    __builtin_unreachable();
}

void prepare(Scheduler* s, int i) {
    void** sp = reinterpret_cast<void**>(s->stackTop(i)) - 8;   // 16-byte aligned: see emu_switch's pops
    for (int r = 0; r < 6; r++) {
        sp[r] = nullptr;   // r15, r14, r13, r12, rbx, rbp
    }
    sp[6] = reinterpret_cast<void*>(&fiberEntry);
    sp[7] = nullptr;
    s->fibers[i].sp = sp;
    s->fibers[i].state = READY;
}

/** Runs one block to completion; false (with the fault recorded) on barrier divergence. */
bool runBlock(Scheduler* s, const Kernel& k, emu_dim3 block, emu_dim3 grid, emu_dim3 dim, bool reversed) {
    int n = static_cast<int>(dim.x * dim.y * dim.z);
    s->count = n;
    for (int i = 0; i < n; i++) {
        Fiber& f = s->fibers[i];
        f.thread.thread = emu_dim3{static_cast<unsigned>(i) % dim.x, static_cast<unsigned>(i) / dim.x % dim.y,
                                      static_cast<unsigned>(i) / (dim.x * dim.y)};
        f.thread.block = block;
        f.thread.blockSize = dim;
        f.thread.gridSize = grid;
        prepare(s, i);
    }
    for (;;) {
        int waiting = 0;
        int done = 0;
        void* site = nullptr;
        bool split = false;
        for (int j = 0; j < n; j++) {
            int i = reversed ? n - 1 - j : j;
            Fiber& f = s->fibers[i];
            if (f.state == DONE) {
                done++;
                continue;
            }
            s->running = i;
            current = &f.thread;
            emu_switch(&s->home, f.sp);
            if (f.state == AT_BARRIER) {
                if (waiting == 0) {
                    site = f.site;
                } else if (f.site != site) {
                    split = true;
                }
                waiting++;
            } else {
                done++;
            }
        }
        current = nullptr;
        s->running = -1;
        if (waiting == 0) {
            return true;
        }
        if (done > 0 || split) {
            char msg[400];
            std::snprintf(msg, sizeof msg,
                          "kernel %s, block (%u, %u, %u): %s (%d of %d threads at a barrier, %d finished)", k.name,
                          block.x, block.y, block.z,
                          split ? "threads wait at different barriers" : "some threads exited while others wait at a barrier",
                          waiting, n, done);
            fail(CUDA_ERROR_LAUNCH_FAILED, msg);
            return false;
        }
        for (int i = 0; i < n; i++) {
            s->fibers[i].state = READY;
        }
    }
}

/** Runs every block, in order or (reversed) with blocks and the threads within each round in reverse. */
CUresult runKernel(const Kernel& k, const Body& body, emu_dim3 grid, emu_dim3 dim, bool reversed) {
    if (scheduler == nullptr) {
        scheduler = new Scheduler();
    }
    Scheduler* s = scheduler;
    s->body = &body;
    s->fault.clear();
    s->faultCode = CUDA_SUCCESS;
    unsigned long long blocks = 1ull * grid.x * grid.y * grid.z;
    for (unsigned long long j = 0; j < blocks; j++) {
        unsigned long long b = reversed ? blocks - 1 - j : j;
        emu_dim3 at{static_cast<unsigned>(b % grid.x), static_cast<unsigned>(b / grid.x % grid.y),
                    static_cast<unsigned>(b / (1ull * grid.x * grid.y))};
        if (!runBlock(s, k, at, grid, dim, reversed) || s->faultCode != CUDA_SUCCESS) {
            report("%s", s->fault.c_str());
            return s->faultCode;
        }
    }
    return CUDA_SUCCESS;
}

/**
 * The race check: runs the launch twice, forward and in reverse (blocks, and threads between barriers), from
 * the same contents of every buffer it was given, and requires the same bytes after both. A GPU runs threads in
 * no fixed order, so a result that depends on the order is a data race (a missing barrier, or two threads
 * writing one element) that a fixed order would hide.
 */
CUresult runChecked(const Kernel& k, const Body& body, emu_dim3 grid, emu_dim3 dim,
                    const std::vector<std::pair<int, const void*>>& pointers) {
    struct Buffer {
        int argument;
        char* start;
        std::size_t size;
        std::string before, forward;
    };
    std::vector<Buffer> buffers;
    for (auto& [index, p] : pointers) {
        auto* a = find(reinterpret_cast<std::uintptr_t>(p), 0, false);
        bool seen = false;
        for (auto& b : buffers) {
            seen |= a != nullptr && b.start == reinterpret_cast<char*>(a->first);
        }
        if (a != nullptr && !seen) {
            char* start = reinterpret_cast<char*>(a->first);
            buffers.push_back(Buffer{index, start, a->second.size, std::string(start, a->second.size), {}});
        }
    }
    CUresult r = runKernel(k, body, grid, dim, false);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    for (auto& b : buffers) {
        b.forward.assign(b.start, b.size);
        std::memcpy(b.start, b.before.data(), b.size);
    }
    r = runKernel(k, body, grid, dim, true);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    for (auto& b : buffers) {
        if (std::memcmp(b.start, b.forward.data(), b.size) != 0) {
            std::size_t at = 0;
            while (b.start[at] == b.forward[at]) {
                at++;
            }
            report("kernel %s: the result depends on the order threads run in (a data race: a missing barrier, or "
                   "threads writing the same element); argument %d differs first at byte %zu of %zu (grid %u x %u x %u,"
                   " block %u x %u x %u)", k.name, b.argument, at, b.size, grid.x, grid.y, grid.z, dim.x, dim.y, dim.z);
            return CUDA_ERROR_LAUNCH_FAILED;
        }
    }
    return CUDA_SUCCESS;
}

// ---------------------------------------------------------------------------------------------------------
// Streams: queues of work that run when the host waits.

using Op = std::function<CUresult()>;

struct Stream {
    Context* context;
    std::deque<Op> work;
};

/** Runs a stream's queued work in order; the first failure poisons the context and drops the rest. */
CUresult drain(Stream* st) {
    while (!st->work.empty()) {
        Op op = std::move(st->work.front());
        st->work.pop_front();
        if (st->context->sticky != CUDA_SUCCESS) {
            continue;
        }
        CUresult r = op();
        if (r != CUDA_SUCCESS) {
            st->context->sticky = r;
        }
    }
    return st->context->sticky;
}

void drainAll() {
    for (Stream* st : state().streams) {
        drain(st);
    }
}

Stream defaultStream;

Stream* streamOf(CUstream handle) {
    if (handle == nullptr) {
        defaultStream.context = &state().primary;
        return &defaultStream;
    }
    for (Stream* st : state().streams) {
        if (reinterpret_cast<CUstream>(st) == handle) {
            return st;
        }
    }
    return nullptr;
}

CUresult enqueue(Stream* st, Op op) {
    st->work.push_back(std::move(op));
    if (state().eager) {
        return drain(st);
    }
    return st->context->sticky;
}

/** The checks shared by calls that need a current context. */
CUresult needContext() {
    if (!state().initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (currentContext == nullptr || currentContext->refs == 0) {
        report("no current context on this thread (cuCtxSetCurrent first)");
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    return currentContext->sticky;
}

struct Module {
    std::string image;
};

}  // namespace

void registerKernel(const Kernel& k) {
    kernels().emplace(k.name, k);
}

void syncthreads() {
    Scheduler* s = scheduler;
    Fiber& f = s->fibers[s->running];
    f.state = AT_BARRIER;
    f.site = __builtin_return_address(0);
    emu_switch(&f.sp, s->home);
}

}  // namespace emu

// ---------------------------------------------------------------------------------------------------------
// Hooks of the sanitizers the kernels are compiled with (-fsanitize=alignment,bounds,signed-integer-overflow
// without the runtime library): each finding fails the launch with the error a GPU would give. Exported for
// the self-test's kernels, which are compiled outside this library.

namespace {
struct SourceLocation {
    const char* file;
    unsigned line;
    unsigned column;
};

void sanitizerFault(CUresult code, const SourceLocation* at, const char* what, unsigned long long value) {
    char msg[400];
    std::snprintf(msg, sizeof msg, "%s:%u:%u: %s (%llu)", at->file, at->line, at->column, what, value);
    emu::fail(code, msg);
}
}  // namespace

extern "C" {
__attribute__((visibility("default"))) void __ubsan_handle_type_mismatch_v1(const SourceLocation* data, std::uintptr_t p) {
    sanitizerFault(p == 0 ? CUDA_ERROR_ILLEGAL_ADDRESS : CUDA_ERROR_MISALIGNED_ADDRESS, data,
                   p == 0 ? "null pointer access" : "misaligned access at address", p);
}
__attribute__((visibility("default"))) void __ubsan_handle_out_of_bounds(const SourceLocation* data, std::uintptr_t index) {
    sanitizerFault(CUDA_ERROR_ILLEGAL_ADDRESS, data, "array index out of bounds", index);
}
__attribute__((visibility("default"))) void __ubsan_handle_add_overflow(const SourceLocation* data, std::uintptr_t a, std::uintptr_t) {
    sanitizerFault(CUDA_ERROR_LAUNCH_FAILED, data, "signed int overflow in +", a);
}
__attribute__((visibility("default"))) void __ubsan_handle_sub_overflow(const SourceLocation* data, std::uintptr_t a, std::uintptr_t) {
    sanitizerFault(CUDA_ERROR_LAUNCH_FAILED, data, "signed int overflow in -", a);
}
__attribute__((visibility("default"))) void __ubsan_handle_mul_overflow(const SourceLocation* data, std::uintptr_t a, std::uintptr_t) {
    sanitizerFault(CUDA_ERROR_LAUNCH_FAILED, data, "signed int overflow in *", a);
}
__attribute__((visibility("default"))) void __ubsan_handle_negate_overflow(const SourceLocation* data, std::uintptr_t a) {
    sanitizerFault(CUDA_ERROR_LAUNCH_FAILED, data, "signed int overflow in unary -", a);
}
__attribute__((visibility("default"))) void __ubsan_handle_divrem_overflow(const SourceLocation* data, std::uintptr_t a, std::uintptr_t) {
    sanitizerFault(CUDA_ERROR_LAUNCH_FAILED, data, "integer division overflow or by zero", a);
}
}

// ---------------------------------------------------------------------------------------------------------
// The driver API (the subset the CUDA backend calls; JCuda binds the others lazily and never calls them).

using emu::state;
using Lock = std::lock_guard<std::recursive_mutex>;

namespace {
/** The checks of calls about a device: cuInit first, and the only device is 0. */
CUresult deviceCheck(CUdevice device) {
    if (!state().initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    return device == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}
}  // namespace

API CUresult cuInit(unsigned flags) {
    Lock l(state().lock);
    if (flags != 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (const char* mb = std::getenv("NEURITE_CUDA_EMULATOR_MEMORY_MB")) {
        state().memory = std::strtoull(mb, nullptr, 10) << 20;
    }
    if (const char* prefix = std::getenv("NEURITE_CUDA_EMULATOR_REPORT_PREFIX")) {
        emu::reportPrefix = prefix;   // the self-test marks the reports it provokes
    }
    const char* race = std::getenv("NEURITE_CUDA_EMULATOR_RACECHECK");
    state().raceCheck = race != nullptr && std::strcmp(race, "1") == 0;
    const char* eager = std::getenv("NEURITE_CUDA_EMULATOR_EAGER");
    state().eager = eager != nullptr && std::strcmp(eager, "1") == 0;
    state().initialized = true;
    return CUDA_SUCCESS;
}

API CUresult cuDriverGetVersion(int* version) {
    if (version == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *version = 13000;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetCount(int* count) {
    if (!state().initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    *count = 1;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    if (CUresult r = deviceCheck(ordinal)) {
        return r;
    }
    *device = 0;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetName(char* name, int len, CUdevice device) {
    if (CUresult r = deviceCheck(device)) {
        return r;
    }
    if (name == nullptr || len <= 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    std::snprintf(name, static_cast<std::size_t>(len), "%s", "Neurite CUDA driver emulator (kernels on the host CPU)");
    return CUDA_SUCCESS;
}

API CUresult cuDeviceTotalMem_v2(std::size_t* bytes, CUdevice device) {
    if (CUresult r = deviceCheck(device)) {
        return r;
    }
    *bytes = state().memory;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetAttribute(int* value, CUdevice_attribute attribute, CUdevice device) {
    if (CUresult r = deviceCheck(device)) {
        return r;
    }
    switch (attribute) {
        case 1: *value = emu::MAX_THREADS; return CUDA_SUCCESS;       // MAX_THREADS_PER_BLOCK
        case 16: *value = 1; return CUDA_SUCCESS;                     // MULTIPROCESSOR_COUNT
        case 75: *value = 9; return CUDA_SUCCESS;                     // COMPUTE_CAPABILITY_MAJOR
        case 76: *value = 0; return CUDA_SUCCESS;                     // COMPUTE_CAPABILITY_MINOR
        default:
            emu::report("cuDeviceGetAttribute(%d) is not emulated", static_cast<int>(attribute));
            return CUDA_ERROR_INVALID_VALUE;
    }
}

API CUresult cuDevicePrimaryCtxRetain(CUcontext* context, CUdevice device) {
    Lock l(state().lock);
    if (CUresult r = deviceCheck(device)) {
        return r;
    }
    state().primary.refs++;
    *context = reinterpret_cast<CUcontext>(&state().primary);
    return CUDA_SUCCESS;
}

API CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) {
    Lock l(state().lock);
    if (CUresult r = deviceCheck(device)) {
        return r;
    }
    emu::Context& c = state().primary;
    if (c.refs == 0) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    if (--c.refs == 0) {
        // The last release destroys the context: its streams' work is dropped, its memory freed, its error cleared.
        for (emu::Stream* st : state().streams) {
            st->work.clear();
            delete st;
        }
        state().streams.clear();
        for (auto& [p, a] : state().allocations) {
            std::free(reinterpret_cast<void*>(p));
        }
        state().allocations.clear();
        state().used = 0;
        c.sticky = CUDA_SUCCESS;
    }
    return CUDA_SUCCESS;
}

API CUresult cuCtxSetCurrent(CUcontext context) {
    Lock l(state().lock);
    if (!state().initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    if (context != nullptr && reinterpret_cast<emu::Context*>(context) != &state().primary) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    emu::currentContext = reinterpret_cast<emu::Context*>(context);
    return CUDA_SUCCESS;
}

API CUresult cuCtxSynchronize() {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    emu::drainAll();
    return emu::currentContext->sticky;
}

API CUresult cuStreamCreate(CUstream* stream, unsigned flags) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    if (flags > 1) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    auto* st = new emu::Stream();
    st->context = emu::currentContext;
    state().streams.push_back(st);
    *stream = reinterpret_cast<CUstream>(st);
    return CUDA_SUCCESS;
}

API CUresult cuStreamSynchronize(CUstream stream) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    emu::Stream* st = emu::streamOf(stream);
    if (st == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    return emu::drain(st);
}

API CUresult cuStreamDestroy_v2(CUstream stream) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    emu::Stream* st = emu::streamOf(stream);
    if (st == nullptr || stream == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    emu::drain(st);   // the driver lets queued work finish
    auto& all = state().streams;
    for (auto it = all.begin(); it != all.end(); ++it) {
        if (*it == st) {
            all.erase(it);
            break;
        }
    }
    delete st;
    return CUDA_SUCCESS;
}

namespace {
CUresult allocate(void** p, std::size_t bytes, bool pinned) {
    if (bytes == 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (!pinned && state().used + bytes > state().memory) {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    std::size_t total = (bytes + emu::GUARD + emu::ALIGN - 1) / emu::ALIGN * emu::ALIGN;
    void* m = std::aligned_alloc(pinned ? 4096 : emu::ALIGN, total);
    if (m == nullptr) {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    std::memset(m, 0xFF, bytes);   // NaN: device memory is not zeroed
    std::memset(static_cast<char*>(m) + bytes, emu::GUARD_BYTE, total - bytes);
    state().allocations[reinterpret_cast<std::uintptr_t>(m)] = emu::Allocation{bytes, pinned};
    if (!pinned) {
        state().used += bytes;
    }
    *p = m;
    return CUDA_SUCCESS;
}

CUresult release(std::uintptr_t p, bool pinned) {
    auto& all = state().allocations;
    auto it = all.find(p);
    if (it == all.end() || it->second.pinned != pinned) {
        emu::report("%s of %p, which is not a live %s allocation", pinned ? "cuMemFreeHost" : "cuMemFree",
                    reinterpret_cast<void*>(p), pinned ? "pinned host" : "device");
        return CUDA_ERROR_INVALID_VALUE;
    }
    emu::drainAll();   // freeing synchronizes: queued work may still use the memory
    if (!pinned) {
        emu::guardIntact(p, "some earlier operation");
        state().used -= it->second.size;
    }
    all.erase(it);
    std::free(reinterpret_cast<void*>(p));
    return CUDA_SUCCESS;
}
}  // namespace

API CUresult cuMemAlloc_v2(CUdeviceptr* dptr, std::size_t bytes) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    void* p;
    CUresult r = allocate(&p, bytes, false);
    if (r == CUDA_SUCCESS) {
        *dptr = reinterpret_cast<CUdeviceptr>(p);
    }
    return r;
}

API CUresult cuMemFree_v2(CUdeviceptr dptr) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    return release(static_cast<std::uintptr_t>(dptr), false);
}

API CUresult cuMemGetInfo_v2(std::size_t* free, std::size_t* total) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    *total = state().memory;
    *free = state().memory - state().used;
    return CUDA_SUCCESS;
}

API CUresult cuMemAllocHost_v2(void** p, std::size_t bytes) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    return allocate(p, bytes, true);
}

API CUresult cuMemFreeHost(void* p) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    return release(reinterpret_cast<std::uintptr_t>(p), true);
}

namespace {
/** Validates an asynchronous copy's ranges and stream, then queues it (pageable host memory: copied now). */
CUresult copyAsync(const char* what, std::uintptr_t dst, bool dstDevice, std::uintptr_t src, bool srcDevice,
                   std::size_t bytes, CUstream stream) {
    if (CUresult r = emu::needContext()) {
        return r;
    }
    emu::Stream* st = emu::streamOf(stream);
    if (st == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (dstDevice && emu::find(dst, bytes, false) == nullptr) {
        emu::report("%s: destination [%p, +%zu) is not inside one device allocation", what,
                    reinterpret_cast<void*>(dst), bytes);
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (srcDevice && emu::find(src, bytes, false) == nullptr) {
        emu::report("%s: source [%p, +%zu) is not inside one device allocation", what, reinterpret_cast<void*>(src),
                    bytes);
        return CUDA_ERROR_INVALID_VALUE;
    }
    bool pinnedHost = (!dstDevice && emu::find(dst, bytes, true) != nullptr)
                      || (!srcDevice && emu::find(src, bytes, true) != nullptr);
    auto op = [dst, src, bytes, dstDevice, what]() {
        std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), bytes);
        if (dstDevice && !emu::guardIntact(dst, what)) {
            return CUDA_ERROR_ILLEGAL_ADDRESS;
        }
        return CUDA_SUCCESS;
    };
    if (!pinnedHost && !(dstDevice && srcDevice)) {
        // Pageable host memory: the driver stages it, so the call returns with the copy done.
        emu::drain(st);
        st->work.push_back(op);
        return emu::drain(st);
    }
    return emu::enqueue(st, op);
}
}  // namespace

API CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, std::size_t bytes, CUstream stream) {
    Lock l(state().lock);
    return copyAsync("cuMemcpyHtoDAsync", dst, true, reinterpret_cast<std::uintptr_t>(src), false, bytes, stream);
}

API CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, std::size_t bytes, CUstream stream) {
    Lock l(state().lock);
    return copyAsync("cuMemcpyDtoHAsync", reinterpret_cast<std::uintptr_t>(dst), false, src, true, bytes, stream);
}

API CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, std::size_t bytes, CUstream stream) {
    Lock l(state().lock);
    return copyAsync("cuMemcpyDtoDAsync", dst, true, src, true, bytes, stream);
}

API CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned value, std::size_t count, CUstream stream) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    emu::Stream* st = emu::streamOf(stream);
    if (st == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (dst % 4 != 0 || emu::find(dst, count * 4, false) == nullptr) {
        emu::report("cuMemsetD32Async: [%p, +%zu words) is not an aligned range inside one device allocation",
                    reinterpret_cast<void*>(dst), count);
        return CUDA_ERROR_INVALID_VALUE;
    }
    return emu::enqueue(st, [dst, value, count]() {
        unsigned* p = reinterpret_cast<unsigned*>(dst);
        for (std::size_t i = 0; i < count; i++) {
            p[i] = value;
        }
        return CUDA_SUCCESS;
    });
}

API CUresult cuModuleLoadData(CUmodule* module, const void* image) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    if (image == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    // A fatbin: magic 0xBA55ED50, u16 version, u16 header size, u64 size of what follows the header.
    const unsigned char* b = static_cast<const unsigned char*>(image);
    std::uint32_t magic;
    std::uint16_t headerSize;
    std::uint64_t fatSize;
    std::memcpy(&magic, b, 4);
    std::memcpy(&headerSize, b + 6, 2);
    std::memcpy(&fatSize, b + 8, 8);
    if (magic != 0xBA55ED50u || headerSize < 16 || fatSize > (1ull << 30)) {
        emu::report("cuModuleLoadData: the image is not a fatbin (magic 0x%08x)", magic);
        return CUDA_ERROR_INVALID_IMAGE;
    }
    auto* m = new emu::Module();
    m->image.assign(reinterpret_cast<const char*>(b), headerSize + fatSize);
    *module = reinterpret_cast<CUmodule>(m);
    return CUDA_SUCCESS;
}

API CUresult cuModuleUnload(CUmodule module) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    emu::drainAll();
    delete reinterpret_cast<emu::Module*>(module);
    return CUDA_SUCCESS;
}

API CUresult cuModuleGetFunction(CUfunction* function, CUmodule module, const char* name) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    auto* m = reinterpret_cast<emu::Module*>(module);
    auto& table = emu::kernels();
    auto it = table.find(name);
    std::string symbol(name, std::strlen(name) + 1);   // the kernel's name, NUL included, as the fatbin has it
    if (it == table.end() || m->image.find(symbol) == std::string::npos) {
        emu::report("cuModuleGetFunction: no kernel '%s' in %s", name,
                    it == table.end() ? "the emulator's build of the sources" : "this module's fatbin");
        return CUDA_ERROR_NOT_FOUND;
    }
    *function = reinterpret_cast<CUfunction>(&it->second);
    return CUDA_SUCCESS;
}

API CUresult cuLaunchKernel(CUfunction function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                            unsigned bz, unsigned sharedBytes, CUstream stream, void** params, void** extra) {
    Lock l(state().lock);
    if (CUresult r = emu::needContext()) {
        return r;
    }
    if (function == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    const emu::Kernel& k = *reinterpret_cast<const emu::Kernel*>(function);
    emu::Stream* st = emu::streamOf(stream);
    if (st == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    unsigned long long threads = 1ull * bx * by * bz;
    if (gx == 0 || gy == 0 || gz == 0 || gx > 0x7fffffffu || gy > 65535 || gz > 65535 || bx == 0 || by == 0
        || bz == 0 || bx > 1024 || by > 1024 || bz > 64 || threads > static_cast<unsigned>(emu::MAX_THREADS)) {
        emu::report("cuLaunchKernel %s: grid (%u, %u, %u) block (%u, %u, %u) is outside CUDA's limits", k.name, gx, gy,
                    gz, bx, by, bz);
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (sharedBytes != 0 || extra != nullptr) {
        emu::report("cuLaunchKernel %s: dynamic shared memory and 'extra' are not used by these kernels", k.name);
        return CUDA_ERROR_NOT_SUPPORTED;
    }
    if (params == nullptr && k.arity > 0) {
        emu::report("cuLaunchKernel %s: no parameters for a kernel with %zu", k.name, k.arity);
        return CUDA_ERROR_INVALID_VALUE;
    }
    std::vector<std::pair<int, const void*>> pointers;
    emu::Body body = k.bind(params, pointers);
    for (auto& [index, p] : pointers) {
        if (emu::find(reinterpret_cast<std::uintptr_t>(p), 0, false) == nullptr) {
            emu::report("cuLaunchKernel %s: argument %d (%p) does not point into device memory", k.name, index, p);
            return CUDA_ERROR_INVALID_VALUE;
        }
    }
    emu_dim3 grid{gx, gy, gz};
    emu_dim3 block{bx, by, bz};
    return emu::enqueue(st, [&k, body, grid, block, pointers]() {
        CUresult r = state().raceCheck ? emu::runChecked(k, body, grid, block, pointers)
                                       : emu::runKernel(k, body, grid, block, false);
        for (auto& [index, p] : pointers) {
            char what[160];
            std::snprintf(what, sizeof what, "kernel %s (through argument %d)", k.name, index);
            if (!emu::guardIntact(reinterpret_cast<std::uintptr_t>(p), what) && r == CUDA_SUCCESS) {
                r = CUDA_ERROR_ILLEGAL_ADDRESS;
            }
        }
        return r;
    });
}

API CUresult cuGetErrorName(CUresult error, const char** name) {
    switch (error) {
        case CUDA_SUCCESS: *name = "CUDA_SUCCESS"; break;
        case CUDA_ERROR_INVALID_VALUE: *name = "CUDA_ERROR_INVALID_VALUE"; break;
        case CUDA_ERROR_OUT_OF_MEMORY: *name = "CUDA_ERROR_OUT_OF_MEMORY"; break;
        case CUDA_ERROR_NOT_INITIALIZED: *name = "CUDA_ERROR_NOT_INITIALIZED"; break;
        case CUDA_ERROR_INVALID_CONTEXT: *name = "CUDA_ERROR_INVALID_CONTEXT"; break;
        case CUDA_ERROR_ILLEGAL_ADDRESS: *name = "CUDA_ERROR_ILLEGAL_ADDRESS"; break;
        case CUDA_ERROR_MISALIGNED_ADDRESS: *name = "CUDA_ERROR_MISALIGNED_ADDRESS"; break;
        case CUDA_ERROR_LAUNCH_FAILED: *name = "CUDA_ERROR_LAUNCH_FAILED"; break;
        default: *name = "CUDA_ERROR (emulated)"; break;
    }
    return CUDA_SUCCESS;
}

API CUresult cuGetErrorString(CUresult error, const char** text) {
    return cuGetErrorName(error, text);
}

// ---------------------------------------------------------------------------------------------------------
// cuBLAS: the four calls of CUDA 13's libcublas.so.13 the backend binds through the FFM API (CublasFfm), with
// their signatures as in cublas_api.h. build.sh links libcublas.so.13 to this library. sgemm is a plain
// column-major product queued on the handle's stream; scalars are read at the call (host pointer mode), and
// with beta 0, C is not read (so NaNs in it do not propagate), as cuBLAS specifies.

namespace {
enum : int {
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    CUBLAS_STATUS_INVALID_VALUE = 7,
    CUBLAS_STATUS_EXECUTION_FAILED = 13,
};

struct CublasHandle {
    emu::Context* context;
    CUstream stream;
};

/** Whether the column-major matrix at p (leading dimension ld, cols columns of rows) lies in one allocation. */
bool matrixInDeviceMemory(const float* p, int rows, int cols, int ld) {
    if (rows == 0 || cols == 0) {
        return true;
    }
    std::size_t bytes = (static_cast<std::size_t>(ld) * (cols - 1) + rows) * sizeof(float);
    return emu::find(reinterpret_cast<std::uintptr_t>(p), bytes, false) != nullptr;
}
}  // namespace

typedef struct cublasContext* cublasHandle_t;

API int cublasCreate_v2(cublasHandle_t* handle) {
    Lock l(state().lock);
    if (handle == nullptr) {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    if (emu::needContext() != CUDA_SUCCESS) {
        return CUBLAS_STATUS_NOT_INITIALIZED;
    }
    *handle = reinterpret_cast<cublasHandle_t>(new CublasHandle{emu::currentContext, nullptr});
    return CUBLAS_STATUS_SUCCESS;
}

API int cublasDestroy_v2(cublasHandle_t handle) {
    Lock l(state().lock);
    if (handle == nullptr) {
        return CUBLAS_STATUS_NOT_INITIALIZED;
    }
    delete reinterpret_cast<CublasHandle*>(handle);
    return CUBLAS_STATUS_SUCCESS;
}

API int cublasSetStream_v2(cublasHandle_t handle, CUstream stream) {
    Lock l(state().lock);
    if (handle == nullptr) {
        return CUBLAS_STATUS_NOT_INITIALIZED;
    }
    if (emu::streamOf(stream) == nullptr) {
        emu::report("cublasSetStream_v2: %p is not a live stream", static_cast<void*>(stream));
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    reinterpret_cast<CublasHandle*>(handle)->stream = stream;
    return CUBLAS_STATUS_SUCCESS;
}

API int cublasSgemm_v2(cublasHandle_t handle, int transa, int transb, int m, int n, int k, const float* alpha,
                       const float* A, int lda, const float* B, int ldb, const float* beta, float* C, int ldc) {
    Lock l(state().lock);
    if (handle == nullptr) {
        return CUBLAS_STATUS_NOT_INITIALIZED;
    }
    auto* h = reinterpret_cast<CublasHandle*>(handle);
    if (emu::currentContext != h->context || emu::needContext() != CUDA_SUCCESS) {
        emu::report("cublasSgemm_v2: the handle's context is not current on this thread");
        return CUBLAS_STATUS_EXECUTION_FAILED;
    }
    bool ta = transa != 0;
    bool tb = transb != 0;
    int rowsA = ta ? k : m, colsA = ta ? m : k;
    int rowsB = tb ? n : k, colsB = tb ? k : n;
    if ((transa != 0 && transa != 1) || (transb != 0 && transb != 1) || m < 0 || n < 0 || k < 0
        || lda < (rowsA > 1 ? rowsA : 1) || ldb < (rowsB > 1 ? rowsB : 1) || ldc < (m > 1 ? m : 1)
        || alpha == nullptr || beta == nullptr) {
        emu::report("cublasSgemm_v2: invalid arguments (op %d %d, m %d n %d k %d, lda %d ldb %d ldc %d)", transa, transb,
                    m, n, k, lda, ldb, ldc);
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    if (!matrixInDeviceMemory(A, rowsA, colsA, lda) || !matrixInDeviceMemory(B, rowsB, colsB, ldb)
        || !matrixInDeviceMemory(C, m, n, ldc)) {
        emu::report("cublasSgemm_v2: A, B or C (%d x %d, ld %d) is not inside one device allocation", m, n, ldc);
        return CUBLAS_STATUS_EXECUTION_FAILED;
    }
    emu::Stream* st = emu::streamOf(h->stream);
    float a = *alpha, b = *beta;   // host pointer mode: read now
    emu::enqueue(st, [=]() {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float sum = 0.0f;
                for (int p = 0; p < k; p++) {
                    float x = ta ? A[p + static_cast<std::size_t>(i) * lda] : A[i + static_cast<std::size_t>(p) * lda];
                    float y = tb ? B[j + static_cast<std::size_t>(p) * ldb] : B[p + static_cast<std::size_t>(j) * ldb];
                    sum += x * y;
                }
                float& c = C[i + static_cast<std::size_t>(j) * ldc];
                c = b == 0.0f ? a * sum : a * sum + b * c;
            }
        }
        return emu::guardIntact(reinterpret_cast<std::uintptr_t>(C), "cublasSgemm_v2") ? CUDA_SUCCESS
                                                                                      : CUDA_ERROR_ILLEGAL_ADDRESS;
    });
    return CUBLAS_STATUS_SUCCESS;
}
