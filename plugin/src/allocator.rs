//! The wasm32 build's memory allocator: dlmalloc, the allocator Rust's standard library uses on
//! `wasm32-unknown-unknown`, taken from its crate at a release that starts with the memory the module
//! already has.
//!
//! Why: the standard library's copy (Rust 1.95) asks the engine for a new 64 KiB page on its first
//! allocation, whatever room the module's initial memory has left after the stack and the data. With a
//! fresh instance per call (the host's default), that `memory.grow` cost every call a change of page
//! protections in the host and its undoing when the instance was recycled (measured with `perf`:
//! `mprotect` and TLB flushes were a large part of the kernel's 28% of a fresh-instance loop).
//! dlmalloc 0.2.14 first takes the span between `__heap_base` and `__heap_end` (the end of the initial
//! memory, which the build sets to 512 KiB: a 128 KiB stack, the data, and about 270 KiB of heap), so a
//! webhook of usual size never grows the memory. Larger inputs grow it as before.

#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;
