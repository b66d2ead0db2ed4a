import { useState } from "react";
import type { Locale } from "../bindings/Locale";
import { useLocale } from "../i18n/LocaleContext";
import { useT } from "../i18n/Localization";
import { LANGUAGE_NAMES, LOCALES } from "../i18n/messages";

/** One button per interface language, each named in its own language. */
export function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale, switchError } = useLocale();
  const [announced, setAnnounced] = useState<Locale | null>(null);
  return (
    <div className="porta-language-switch d-flex align-items-center gap-2">
      <fieldset className="btn-group m-0 p-0 border-0">
        <legend className="visually-hidden">{t("language-switch-label")}</legend>
        {LOCALES.map((option) => (
          <button
            key={option}
            type="button"
            lang={option}
            className="btn btn-sm"
            aria-pressed={option === locale}
            data-locale={option}
            onClick={() => {
              if (option !== locale) {
                setLocale(option);
                setAnnounced(option);
              }
            }}
          >
            {LANGUAGE_NAMES[option]}
          </button>
        ))}
      </fieldset>
      <output className="visually-hidden" aria-live="polite">
        {announced === locale && announced !== null
          ? t("language-changed", { language: LANGUAGE_NAMES[announced] })
          : ""}
      </output>
      {switchError !== null && (
        <span role="alert" className="text-white small">
          {switchError}
        </span>
      )}
    </div>
  );
}
