/*
 * The emulator's table of kernels. build.sh appends, to each kernel family's translation unit, one
 * EMU_KERNEL(family, name) per kernel it finds in the preprocessed source; the template below learns each
 * kernel's parameter types from its declaration, so that cuLaunchKernel can copy the arguments by value at
 * launch time (as the real driver does) and check the pointer ones.
 */
#pragma once

#include <cstddef>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace emu {

/** One CUDA thread's work: the kernel with its (copied) arguments. */
using Body = std::function<void()>;

struct Kernel {
    const char* family;
    const char* name;
    /** Copies the arguments params[0..arity) and lists the pointer-typed ones (for validation). */
    std::function<Body(void** params, std::vector<std::pair<int, const void*>>& pointers)> bind;
    std::size_t arity;
};

__attribute__((visibility("default"))) void registerKernel(const Kernel& k);

template <class... A>
struct Binder {
    template <std::size_t... I>
    static Body bind(void (*fn)(A...), void** p, std::vector<std::pair<int, const void*>>& pointers,
                     std::index_sequence<I...>) {
        std::tuple<std::decay_t<A>...> args{*static_cast<std::decay_t<A>*>(p[I])...};
        (
            [&] {
                if constexpr (std::is_pointer_v<std::decay_t<A>>) {
                    pointers.emplace_back(static_cast<int>(I), static_cast<const void*>(std::get<I>(args)));
                }
            }(),
            ...);
        return [fn, args]() { std::apply(fn, args); };
    }
};

struct Registrar {
    template <class... A>
    Registrar(const char* family, const char* name, void (*fn)(A...)) {
        registerKernel(Kernel{family, name,
                              [fn](void** p, std::vector<std::pair<int, const void*>>& pointers) {
                                  return Binder<A...>::bind(fn, p, pointers, std::index_sequence_for<A...>{});
                              },
                              sizeof...(A)});
    }
};

}  // namespace emu

#define EMU_CONCAT2(a, b) a##b
#define EMU_CONCAT(a, b) EMU_CONCAT2(a, b)
#define EMU_KERNEL(family, name) static emu::Registrar EMU_CONCAT(emu_registrar_, name)(family, #name, &name);
