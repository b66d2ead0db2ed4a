import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router-dom";
import type { PersonHit } from "../bindings/PersonHit";
import { formatPartialDate, personName } from "../desk/format";
import { useCountryName, useFindPeople } from "../desk/queries";
import { useT } from "../i18n/Localization";

/** What a result shows to tell people of the same name apart. */
export function HitDetails({ hit }: { hit: PersonHit }) {
  const t = useT();
  const country = useCountryName();
  const parts = [
    hit.birthDate ? t("search-born", { date: formatPartialDate(hit.birthDate) }) : null,
    hit.birthCountry ? country(hit.birthCountry) : null,
    // Citizenship, when it is not simply the country of birth.
    hit.citizenships.length > 0 && hit.citizenships.join() !== hit.birthCountry
      ? hit.citizenships.map(country).join(", ")
      : null,
    hit.municipality,
    hit.stpEniCode,
    t("search-open-practices", { count: hit.openPractices }),
    hit.archived ? t("search-archived") : null,
  ].filter((part): part is string => part !== null && part !== "");
  return <span className="person-hit-details">{parts.join(" · ")}</span>;
}

/**
 * The search box in the header: a WAI-ARIA combobox whose list shows people as one types.
 * `/` or Ctrl+K reach it from anywhere; arrows move, Enter opens, Esc closes. When nobody is
 * found, the last option creates a new person with what was typed.
 */
export function PersonSearch() {
  const t = useT();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [withArchived, setWithArchived] = useState(false);
  const found = useFindPeople(query, withArchived);
  const ready = query.trim().length >= 2;
  const hits = ready ? (found.data ?? []) : [];
  // After the people: "new person", then (until asked) "search the archived folders too".
  const options = ready ? hits.length + (withArchived ? 1 : 2) : 0;

  useEffect(() => {
    const focusSearch = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing =
        target !== null &&
        (target.tagName === "INPUT" ||
          target.tagName === "TEXTAREA" ||
          target.tagName === "SELECT");
      if (
        (event.key === "k" && (event.ctrlKey || event.metaKey)) ||
        (event.key === "/" && !typing)
      ) {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", focusSearch);
    return () => window.removeEventListener("keydown", focusSearch);
  }, []);

  const choose = (index: number) => {
    setOpen(false);
    const hit = hits[index];
    if (hit !== undefined) {
      navigate(`/folder/${hit.id}`);
      setQuery("");
      setWithArchived(false);
    } else if (index === hits.length + 1) {
      setWithArchived(true);
      setOpen(true);
      setActive(0);
    } else {
      navigate(`/new-person?name=${encodeURIComponent(query.trim())}`);
      setQuery("");
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" && options > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((current) => (current + 1) % options);
    } else if (event.key === "ArrowUp" && options > 0) {
      event.preventDefault();
      setActive((current) => (current - 1 + options) % options);
    } else if (event.key === "Enter" && open && options > 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  };

  const expanded = open && ready;
  const optionId = (index: number) => `person-search-option-${index}`;
  return (
    // A landmark for the search box; the <search> element is not known to every WebKit yet.
    // biome-ignore lint/a11y/useSemanticElements: see above
    <form className="person-search" role="search" onSubmit={(event) => event.preventDefault()}>
      <label htmlFor="person-search" className="visually-hidden">
        {t("search-label")}
      </label>
      <input
        ref={input}
        id="person-search"
        className="form-control"
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls="person-search-results"
        aria-activedescendant={expanded && options > 0 ? optionId(active) : undefined}
        aria-describedby="person-search-shortcut"
        placeholder={t("search-placeholder")}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <span id="person-search-shortcut" className="visually-hidden">
        {t("search-shortcut")}
      </span>
      <div
        id="person-search-results"
        role="listbox"
        aria-label={t("search-results")}
        data-results-for={ready && found.isSuccess && !found.isPlaceholderData ? query.trim() : ""}
        className={`person-search-results${expanded ? "" : " d-none"}`}
      >
        {hits.map((hit, index) => (
          <div
            key={hit.id}
            tabIndex={-1}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            className={index === active ? "active" : undefined}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(index);
            }}
          >
            <span className="person-hit-name" dir="auto">
              {personName(hit) || hit.stpEniCode}
            </span>
            <HitDetails hit={hit} />
          </div>
        ))}
        {ready && (
          <div
            tabIndex={-1}
            id={optionId(hits.length)}
            role="option"
            aria-selected={active === hits.length}
            className={`person-search-new${active === hits.length ? " active" : ""}`}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(hits.length);
            }}
          >
            {hits.length === 0 && found.isSuccess && !found.isPlaceholderData && (
              <span className="d-block">{t("search-none")}</span>
            )}
            <span className="fw-semibold">{t("search-new-person", { query: query.trim() })}</span>
          </div>
        )}
        {ready && !withArchived && (
          <div
            tabIndex={-1}
            id={optionId(hits.length + 1)}
            role="option"
            aria-selected={active === hits.length + 1}
            className={`person-search-archived${active === hits.length + 1 ? " active" : ""}`}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(hits.length + 1);
            }}
          >
            {t("search-include-archived")}
          </div>
        )}
      </div>
      <div className="visually-hidden" aria-live="polite">
        {ready && found.isSuccess ? `${t("search-results")}: ${hits.length}` : ""}
      </div>
    </form>
  );
}
