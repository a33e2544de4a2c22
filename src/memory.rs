//! How the process hands freed memory back to the system.

/// Returns the heap's free pages to the system. glibc keeps freed memory for reuse and
/// gives it back only past a trim threshold it raises to the largest block freed, so
/// each resync of 100k accounts (a whole list decoded, resolved, then dropped) left
/// the dashboard's resident set a little larger: 1.25-1.38x after 20 resyncs while
/// holding the same data. Called on the blocking thread that resolved the list, never
/// on the UI task; `cargo bench --bench scale` prints the figure with and without it.
/// Elsewhere than glibc it does nothing.
pub fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim(3) only releases free heap pages; glibc locks each arena.
    unsafe {
        libc::malloc_trim(0);
    }
}
