import { Spinner } from "design-react-kit";
import { useId } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { MessageId } from "../bindings/MessageId";
import type { OpenPractice } from "../bindings/OpenPractice";
import { ErrorAlert } from "../components/ErrorAlert";
import { ColleagueSelect } from "../desk/ColleagueSelect";
import { formatDay, personName } from "../desk/format";
import { useColleagues, useOpenPractices, usePracticeTemplates } from "../desk/queries";
import { NEED_CATEGORIES } from "../desk/sections";
import { useT } from "../i18n/Localization";
import { useDocumentTitle } from "./useDocumentTitle";

/** The open practices across the folders: by operator in charge and by service, nearest
 * deadline first. The choices live in the address, so "my practices" is a link to keep. */
export function Practices() {
  const t = useT();
  useDocumentTitle(t("practices-heading"));
  const [params, setParams] = useSearchParams();
  const colleagues = useColleagues();
  const me = colleagues.data?.find((colleague) => colleague.me)?.id ?? null;
  // Without a choice in the address, an operator sees their own practices first.
  const operatorParam = params.get("operator");
  const inCharge = operatorParam === null ? me : operatorParam === "all" ? null : operatorParam;
  const category = params.get("service");
  const list = useOpenPractices({ inCharge, category });
  const operatorId = useId();
  const serviceId = useId();
  const choose = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    if (key === "service" && value === "") next.delete("service");
    setParams(next, { replace: true });
  };
  return (
    <>
      <h1>{t("practices-heading")}</h1>
      <p>{t("practices-intro")}</p>
      <form className="row g-3 mb-3" onSubmit={(event) => event.preventDefault()}>
        <ColleagueSelect
          id={operatorId}
          label={t("practices-filter-operator")}
          value={inCharge ?? ""}
          onChange={(value) => choose("operator", value === "" ? "all" : value)}
          noneLabel={t("practices-filter-everyone")}
          className="col-12 col-md-6 select-wrapper"
        />
        <div className="col-12 col-md-6 select-wrapper">
          <label htmlFor={serviceId}>{t("practices-filter-service")}</label>
          <select
            id={serviceId}
            value={category ?? ""}
            onChange={(event) => choose("service", event.target.value)}
          >
            <option value="">{t("practices-filter-all-services")}</option>
            {NEED_CATEGORIES.map((need) => (
              <option key={need} value={need}>
                {t(`value-need_category-${need}` as MessageId)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {list.error !== null && <ErrorAlert error={list.error} />}
      {list.isPending && (
        <div className="d-flex align-items-center gap-3" role="status">
          <Spinner active small />
          <span>{t("loading")}</span>
        </div>
      )}
      {list.data !== undefined && (
        <>
          <p aria-live="polite" data-testid="practices-count">
            {t("practices-count", { count: list.data.items.length + list.data.more })}
          </p>
          {list.data.items.length === 0 ? (
            <p data-testid="practices-empty">{t("practices-empty")}</p>
          ) : (
            <ul className="list-unstyled due-list" data-testid="practices-list">
              {list.data.items.map((item) => (
                <PracticeLine key={item.practice.id} item={item} />
              ))}
            </ul>
          )}
          {list.data.more > 0 && <p>{t("practices-more", { count: list.data.more })}</p>}
        </>
      )}
    </>
  );
}

function PracticeLine({ item }: { item: OpenPractice }) {
  const t = useT();
  const templates = usePracticeTemplates();
  const { details } = item.practice;
  const name = personName(item);
  const steps = templates.data?.find((template) => template.id === details.template)?.steps;
  const { urgency } = item;
  return (
    <li className="due-line" data-testid="practice-line" data-template={details.template}>
      {urgency !== null && (
        <>
          <span className={`expiry-badge urgency-${urgency}`}>
            {t(`urgency-${urgency}` as MessageId)}
          </span>{" "}
        </>
      )}
      <Link
        to={`/folder/${item.folder}#row-${item.practice.id}`}
        aria-label={t("practices-open", { name })}
      >
        <span dir="auto">{name}</span>
      </Link>
      {" — "}
      {t(`procedure-${details.template}` as MessageId)}
      {" · "}
      {t(`value-practice_status-${details.status}` as MessageId)}
      {" · "}
      {details.deadline === null ? t("practices-no-deadline") : formatDay(details.deadline)}
      {steps !== undefined && (
        <>
          {" · "}
          {t("practice-checklist", { done: details.steps_done.length, count: steps.length })}
        </>
      )}
    </li>
  );
}
