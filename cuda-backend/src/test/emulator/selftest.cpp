/*
 * The emulator's self-test, run by build.sh: each check it claims in driver.cpp is shown to fire on a kernel
 * or call written to trip it, and a correct barrier kernel is shown to compute the right thing. A check that
 * cannot fail is worthless; this keeps them honest. Exit status 0 only if every case behaves.
 */
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
extern "C" {
CUresult cuInit(unsigned);
CUresult cuDevicePrimaryCtxRetain(void**, int);
CUresult cuDevicePrimaryCtxRelease_v2(int);
CUresult cuCtxSetCurrent(void*);
CUresult cuStreamCreate(void**, unsigned);
CUresult cuStreamSynchronize(void*);
CUresult cuMemAlloc_v2(CUdeviceptr*, size_t);
CUresult cuMemFree_v2(CUdeviceptr);
CUresult cuMemAllocHost_v2(void**, size_t);
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr, const void*, size_t, void*);
CUresult cuMemcpyDtoHAsync_v2(void*, CUdeviceptr, size_t, void*);
CUresult cuModuleLoadData(void**, const void*);
CUresult cuModuleGetFunction(void**, void*, const char*);
CUresult cuLaunchKernel(void*, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void*, void**,
                        void**);
}

static int failures = 0;

static void expect(const char* what, long long got, long long want) {
    if (got != want) {
        std::fprintf(stderr, "cuda emulator self-test: FAILED: %s: got %lld, want %lld\n", what, got, want);
        failures++;
    } else {
        std::printf("cuda emulator self-test: ok: %s\n", what);
    }
}

static void* context;
static void* stream;
static void* module;

/** A fresh primary context (the previous case's error cleared) with a stream and the self-test module. */
static void fresh() {
    while (cuDevicePrimaryCtxRelease_v2(0) == 0) {
    }
    cuDevicePrimaryCtxRetain(&context, 0);
    cuCtxSetCurrent(context);
    cuStreamCreate(&stream, 1);
    // A minimal fatbin: the header, then the kernels' names (what cuModuleGetFunction looks for).
    const char names[] = "racy_shift\0racy_blocks\0block_sum\0early_exit\0split_barrier\0misaligned\0shared_out_of_bounds\0overrun\0copy_first";
    static std::vector<unsigned char> image;
    image.assign(16 + sizeof names, 0);
    uint32_t magic = 0xBA55ED50u;
    uint16_t version = 1, header = 16;
    uint64_t size = sizeof names;
    std::memcpy(&image[0], &magic, 4);
    std::memcpy(&image[4], &version, 2);
    std::memcpy(&image[6], &header, 2);
    std::memcpy(&image[8], &size, 8);
    std::memcpy(&image[16], names, sizeof names);
    cuModuleLoadData(&module, image.data());
}

static CUresult launch(const char* name, unsigned grid, unsigned block, std::vector<void*> args) {
    void* f = nullptr;
    CUresult r = cuModuleGetFunction(&f, module, name);
    if (r != 0) {
        return r;
    }
    r = cuLaunchKernel(f, grid, 1, 1, block, 1, 1, 0, stream, args.data(), nullptr);
    return r != 0 ? r : cuStreamSynchronize(stream);
}

static CUdeviceptr upload(const std::vector<float>& v) {
    CUdeviceptr d;
    void* pinned;
    cuMemAlloc_v2(&d, v.size() * 4);
    cuMemAllocHost_v2(&pinned, v.size() * 4);
    std::memcpy(pinned, v.data(), v.size() * 4);
    cuMemcpyHtoDAsync_v2(d, pinned, v.size() * 4, stream);
    cuStreamSynchronize(stream);
    return d;
}

static std::vector<float> download(CUdeviceptr d, size_t n) {
    void* pinned;
    cuMemAllocHost_v2(&pinned, n * 4);
    cuMemcpyDtoHAsync_v2(pinned, d, n * 4, stream);
    cuStreamSynchronize(stream);
    std::vector<float> v(n);
    std::memcpy(v.data(), pinned, n * 4);
    return v;
}

int main() {
    setenv("NEURITE_CUDA_EMULATOR_REPORT_PREFIX", "[cuda-emulator self-test, provoked on purpose] ", 1);
    setenv("NEURITE_CUDA_EMULATOR_RACECHECK", "1", 1);   // every case runs forward and reversed
    cuInit(0);

    fresh();
    std::vector<float> x(4 * 64);
    for (size_t i = 0; i < x.size(); i++) {
        x[i] = static_cast<float>(i % 7);
    }
    CUdeviceptr dx = upload(x);
    CUdeviceptr dout;
    cuMemAlloc_v2(&dout, 4 * 4);
    expect("a correct barrier reduction runs", launch("block_sum", 4, 64, {&dx, &dout}), 0);
    std::vector<float> sums = download(dout, 4);
    bool right = true;
    for (int b = 0; b < 4; b++) {
        float want = 0;
        for (int i = 0; i < 64; i++) {
            want += x[b * 64 + i];
        }
        right = right && sums[b] == want;
    }
    expect("and sums each block right", right, 1);

    fresh();
    for (size_t i = 0; i < 64; i++) {
        x[i] = static_cast<float>(i + 1);
    }
    CUdeviceptr dr = upload(std::vector<float>(x.begin(), x.begin() + 64));
    expect("a missing barrier is a race the reversed run exposes (LAUNCH_FAILED)", launch("racy_shift", 1, 64, {&dr}),
           719);
    fresh();
    dr = upload(std::vector<float>(x.begin(), x.begin() + 65));
    expect("blocks reading what other blocks write is a race too", launch("racy_blocks", 64, 1, {&dr}), 719);

    fresh();
    CUdeviceptr d;
    cuMemAlloc_v2(&d, 64 * 4);
    expect("a thread exiting before a barrier fails the launch (LAUNCH_FAILED)", launch("early_exit", 1, 64, {&d}), 719);
    expect("the failure is sticky in the context", cuMemAlloc_v2(&d, 16), 719);

    fresh();
    cuMemAlloc_v2(&d, 64 * 4);
    expect("threads at different barriers fail the launch", launch("split_barrier", 1, 64, {&d}), 719);

    fresh();
    cuMemAlloc_v2(&d, 64 * 4);
    int one = 1;
    expect("a misaligned float4 load fails (MISALIGNED_ADDRESS)", launch("misaligned", 1, 1, {&d, &one}), 716);
    fresh();
    cuMemAlloc_v2(&d, 64 * 4);
    int four = 4;
    expect("an aligned float4 load runs", launch("misaligned", 1, 1, {&d, &four}), 0);

    fresh();
    cuMemAlloc_v2(&d, 64 * 4);
    int sixteen = 16;
    expect("an index past a shared array fails (ILLEGAL_ADDRESS)",
           launch("shared_out_of_bounds", 1, 16, {&d, &sixteen}), 700);

    fresh();
    cuMemAlloc_v2(&d, 8 * 4);
    int eight = 8;
    expect("a write past the end of a buffer fails (ILLEGAL_ADDRESS)", launch("overrun", 1, 2, {&d, &eight}), 700);
    fresh();
    cuMemAlloc_v2(&d, 8 * 4);
    expect("the last element is in bounds", launch("overrun", 1, 1, {&d, &eight}), 0);

    fresh();
    float host = 1.0f;
    expect("a host pointer as a kernel argument is refused", launch("copy_first", 1, 1, {&host}) , 1);

    fresh();
    cuMemAlloc_v2(&d, 4 * 4);
    expect("uninitialized device memory reads as NaN", std::isnan(download(d, 1)[0]), 1);

    fresh();
    cuMemAlloc_v2(&d, 4 * 4);
    expect("a copy past the end of an allocation is refused",
           cuMemcpyDtoHAsync_v2(&host, d + 8, 16, stream), 1);

    fresh();
    // Laziness: the copy from pinned memory runs at the wait, so it sees the later host write.
    void* pinned;
    cuMemAllocHost_v2(&pinned, 16);
    cuMemAlloc_v2(&d, 16);
    static_cast<float*>(pinned)[0] = 1.0f;
    cuMemcpyHtoDAsync_v2(d, pinned, 4, stream);
    static_cast<float*>(pinned)[0] = 2.0f;   // a host that forgot to wait before reusing its staging buffer
    cuStreamSynchronize(stream);
    expect("asynchronous copies run at the wait (a missing wait shows)", download(d, 1)[0] == 2.0f, 1);

    fresh();
    CUresult other = -1;
    std::thread([&other] {
        CUdeviceptr p;
        other = cuMemAlloc_v2(&p, 16);
    }).join();
    expect("a call from a thread without a current context fails (INVALID_CONTEXT)", other, 201);

    while (cuDevicePrimaryCtxRelease_v2(0) == 0) {
    }
    if (failures > 0) {
        std::fprintf(stderr, "cuda emulator self-test: %d case(s) failed\n", failures);
        return 1;
    }
    std::printf("cuda emulator self-test: all cases behave\n");
    return 0;
}
