import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// jsdom lays nothing out, so it has no scrolling; the folder page scrolls to its target.
Element.prototype.scrollIntoView ??= () => {};

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.missingMessages;
});
