// A page built by Vite 8 (`vite build`, served by `vite preview`) and served by its dev
// server (`vite`): nothing about the package in the config.
import { start } from "../shared/browser.mjs";

start();
