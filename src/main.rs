fn main() {
    std::process::exit(tdbi::cli::main());
}
