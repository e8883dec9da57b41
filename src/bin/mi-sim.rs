//! The `mi-sim` command-line tool.

fn main() {
    println!("mi-sim {}", mi_sim::VERSION);
}
