// How this copy of the page is served. `make demo` serves www/ as it is (the simulator
// binary behind /api); `make demo-static` writes this file again into
// target/demo-static/ with IN_PAGE_SIM = true: the page then runs the simulator itself
// (gitpod-prebuilds/sim), for static file hosts with no API behind them.

/** Whether the page runs the simulator in itself instead of calling a server. */
export const IN_PAGE_SIM = false;
