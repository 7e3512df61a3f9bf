// The C ABI version, kept apart so that build.rs can `include!` it for the
// shared library's SONAME (no inner attributes or doc comments of the
// module here: build.rs includes this text as items).

/// The ABI major version of libpqshift: the shared library's SONAME is
/// `libpqshift.so.<PQSHIFT_ABI_MAJOR>`. It changes only when a program built
/// against an earlier header could break: a function removed or its
/// parameters, return type or meaning changed, a type's layout changed, a
/// result code, flag bit or constant renumbered. Adding a function, a
/// result code, a flag bit or an algorithm keeps it (see README, "The C API").
pub const PQSHIFT_ABI_MAJOR: u32 = 0;
