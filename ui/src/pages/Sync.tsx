import { Alert, Button } from "design-react-kit";
import { type FormEvent, useState } from "react";
import { Link } from "react-router-dom";
import type { MessageId } from "../bindings/MessageId";
import type { PullProgress } from "../bindings/PullProgress";
import type { SyncView } from "../bindings/SyncView";
import type { UpdateNotice } from "../bindings/UpdateNotice";
import { ErrorAlert } from "../components/ErrorAlert";
import { TextField } from "../components/TextField";
import { formatInstant } from "../desk/format";
import { useLocale } from "../i18n/LocaleContext";
import { useT } from "../i18n/Localization";
import {
  useAppInfo,
  useEnrollDevice,
  useReenrollDevice,
  useSyncNow,
  useSyncView,
} from "../queries";
import { useDocumentTitle } from "./useDocumentTitle";

/** How far this computer's clock may be from the server's before the operator is told
 * (`porta::sync::server_time::NOTICEABLE_OFFSET_MS`). */
const CLOCK_NOTICE_MS = 2 * 60_000;

/** A moment as dd/mm/yyyy hh:mm on the wall clock in Rome, whatever this computer's zone. */
/** A SHA-256 fingerprint as the server prints it: upper-case pairs separated by colons. */
export function fingerprintPairs(hex: string): string {
  return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(":");
}

/** Enrollment with the Ambito's server and the background sync's status. */
export function Sync() {
  const t = useT();
  useDocumentTitle(t("nav-sync"));
  const { data: view } = useSyncView();
  const { data: info } = useAppInfo();
  const administrator =
    info?.session.state === "unlocked" && info.session.operator.role === "administrator";
  return (
    <>
      <h1>{t("sync-heading")}</h1>
      <p className="lead">{t("sync-intro")}</p>
      {view !== undefined && view.enrollment === null && <EnrollForm />}
      {view !== undefined && <SyncStatusPanel view={view} />}
      {view?.enrollment && administrator && <ReenrollForm current={view.enrollment.serverUrl} />}
    </>
  );
}

/** The server's address and a one-time code, as enrolling and joining again both ask them. */
function ServerAndCode(props: {
  idPrefix: string;
  serverUrl: string;
  onServerUrl: (value: string) => void;
  code: string;
  onCode: (value: string) => void;
}) {
  const t = useT();
  return (
    <>
      <TextField
        id={`${props.idPrefix}-server-url`}
        label={t("field-server-url")}
        hint={t("field-server-url-hint")}
        value={props.serverUrl}
        onChange={props.onServerUrl}
        autoComplete="url"
      />
      <TextField
        id={`${props.idPrefix}-code`}
        label={t("field-enrollment-code")}
        hint={t("field-enrollment-code-hint")}
        value={props.code}
        onChange={props.onCode}
        autoComplete="off"
      />
    </>
  );
}

/** Joining this device to its server again: an administrator's explicit, recorded act. */
function ReenrollForm({ current }: { current: string }) {
  const t = useT();
  const reenroll = useReenrollDevice();
  const [serverUrl, setServerUrl] = useState(current);
  const [code, setCode] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (confirmed) {
      // A code works once: cleared, as the confirmation, once the device is joined again.
      reenroll.mutate(
        { serverUrl, code },
        {
          onSuccess: () => {
            setCode("");
            setConfirmed(false);
          },
        },
      );
    }
  };
  return (
    <details className="mt-5" data-testid="sync-reenroll">
      <summary className="h5">{t("sync-reenroll-heading")}</summary>
      <form onSubmit={submit} noValidate className="porta-narrow-form mt-3">
        <p>{t("sync-reenroll-intro")}</p>
        <ServerAndCode
          idPrefix="reenroll"
          serverUrl={serverUrl}
          onServerUrl={setServerUrl}
          code={code}
          onCode={setCode}
        />
        <div className="form-check">
          <input
            id="reenroll-confirm"
            type="checkbox"
            checked={confirmed}
            onChange={(event) => setConfirmed(event.target.checked)}
          />
          <label htmlFor="reenroll-confirm">{t("sync-reenroll-confirm")}</label>
        </div>
        {reenroll.error && <ErrorAlert error={reenroll.error} />}
        <Button color="primary" type="submit" disabled={!confirmed || reenroll.isPending}>
          {t("action-reenroll")}
        </Button>
      </form>
    </details>
  );
}

function EnrollForm() {
  const t = useT();
  const enroll = useEnrollDevice();
  const [serverUrl, setServerUrl] = useState("");
  const [code, setCode] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    enroll.mutate({ serverUrl, code });
  };
  return (
    <form onSubmit={submit} noValidate className="porta-narrow-form mt-4">
      <h2>{t("sync-enroll-heading")}</h2>
      <p>{t("sync-enroll-intro")}</p>
      <ServerAndCode
        idPrefix="sync"
        serverUrl={serverUrl}
        onServerUrl={setServerUrl}
        code={code}
        onCode={setCode}
      />
      {enroll.error && <ErrorAlert error={enroll.error} />}
      <Button color="primary" type="submit" disabled={enroll.isPending}>
        {t("action-enroll")}
      </Button>
    </form>
  );
}

/** A long pull under way: a bar, and the time still needed at the pace so far. */
function PullingBar({ pulling }: { pulling: PullProgress }) {
  const t = useT();
  const minutes =
    pulling.remainingSeconds === null
      ? null
      : Math.max(1, Math.ceil(pulling.remainingSeconds / 60));
  return (
    <div className="mb-3" data-testid="sync-pulling">
      <label htmlFor="sync-pulling-bar" className="form-label">
        {t("sync-pulling", { percent: pulling.percent })}
      </label>
      <progress id="sync-pulling-bar" className="w-100" max={100} value={pulling.percent}>
        {`${pulling.percent}%`}
      </progress>
      <p className="mb-0" data-testid="sync-pulling-remaining">
        {minutes === null ? t("sync-pulling-estimating") : t("sync-pulling-remaining", { minutes })}
      </p>
    </div>
  );
}

/** An update of Porta: ready for the next start, with the Ambito's notes, or refused. */
function UpdateNoticePanel({ notice }: { notice: UpdateNotice }) {
  const t = useT();
  if (notice.kind === "refused") {
    return (
      <Alert color="danger" data-testid="sync-update-refused" data-code={notice.error.code}>
        {notice.error.message}
      </Alert>
    );
  }
  return (
    <Alert color="info" data-testid="sync-update-ready">
      <h3 className="h5">{t("sync-update-ready-heading", { version: notice.version })}</h3>
      <p className="mb-0">{t("sync-update-ready")}</p>
      {notice.notes !== "" && (
        <>
          <p className="mb-0 mt-2 fw-semibold">{t("sync-update-notes")}</p>
          <p
            className="mb-0 text-break"
            style={{ whiteSpace: "pre-line" }}
            data-testid="sync-update-notes"
          >
            {notice.notes}
          </p>
        </>
      )}
    </Alert>
  );
}

function SyncStatusPanel({ view }: { view: SyncView }) {
  const t = useT();
  const { locale } = useLocale();
  const syncNow = useSyncNow();
  const { enrollment, reenrollments, status } = view;
  return (
    <section className="mt-4" aria-labelledby="sync-status-heading">
      {status.update !== null && <UpdateNoticePanel notice={status.update} />}
      {enrollment !== null && (
        <>
          <h2>{t("sync-enrollment-heading")}</h2>
          <dl className="row">
            <dt className="col-sm-4">{t("sync-server")}</dt>
            <dd className="col-sm-8" data-testid="sync-server">
              {enrollment.serverUrl}
            </dd>
            <dt className="col-sm-4">{t("sync-device")}</dt>
            <dd className="col-sm-8">{enrollment.deviceName}</dd>
            <dt className="col-sm-4">{t("sync-office")}</dt>
            <dd className="col-sm-8">{`${enrollment.office} — ${enrollment.ambito}`}</dd>
            <dt className="col-sm-4">{t("sync-certificate")}</dt>
            <dd className="col-sm-8" data-testid="sync-certificate">
              {enrollment.serverCertificate === null ? (
                t("sync-certificate-none")
              ) : (
                <code>{fingerprintPairs(enrollment.serverCertificate)}</code>
              )}
            </dd>
          </dl>
          {reenrollments.length > 0 && (
            <ul data-testid="sync-reenrollments">
              {reenrollments.map((again) => (
                <li key={again.atMs}>
                  {t("sync-reenrolled", {
                    when: formatInstant(again.atMs, locale),
                    from: again.fromServer,
                    to: again.toServer,
                  })}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <h2 id="sync-status-heading">{t("sync-status-heading")}</h2>
      <dl className="row" aria-live="polite">
        <dt className="col-sm-4">{t("sync-state")}</dt>
        <dd className="col-sm-8" data-testid="sync-state" data-state={status.state}>
          {t(`sync-state-${status.state}` as MessageId)}
        </dd>
        <dt className="col-sm-4">{t("sync-waiting")}</dt>
        <dd className="col-sm-8" data-testid="sync-waiting">
          {status.waiting}
        </dd>
        <dt className="col-sm-4">{t("sync-last-success")}</dt>
        <dd className="col-sm-8" data-testid="sync-last-success">
          {status.lastSuccessMs === null
            ? t("sync-never")
            : formatInstant(status.lastSuccessMs, locale)}
        </dd>
        <dt className="col-sm-4">{t("sync-rejected")}</dt>
        <dd className="col-sm-8">{status.rejected}</dd>
        <dt className="col-sm-4">{t("sync-scans")}</dt>
        <dd className="col-sm-8" data-testid="sync-scans">
          {t("sync-scans-counts", { out: status.scansToSend, in: status.scansToReceive })}
        </dd>
        <dt className="col-sm-4">{t("sync-conflicts")}</dt>
        <dd className="col-sm-8">
          <span data-testid="sync-conflicts">{status.conflicts}</span>
          {status.conflicts > 0 && (
            <>
              {" "}
              <Link to="/conflicts">{t("sync-conflicts-review")}</Link>
            </>
          )}
        </dd>
      </dl>
      {status.pulling !== null && <PullingBar pulling={status.pulling} />}
      {status.heldForOwner > 0 && (
        <Alert color="info" data-testid="sync-held">
          {t("sync-held", { count: status.heldForOwner })}
        </Alert>
      )}
      {status.clockOffsetMs !== null && Math.abs(status.clockOffsetMs) >= CLOCK_NOTICE_MS && (
        <Alert color="warning" data-testid="sync-clock-off">
          {t(
            // The server's clock ahead of this computer's: this computer is behind.
            status.clockOffsetMs > 0 ? "sync-clock-behind" : "sync-clock-ahead",
            { minutes: Math.round(Math.abs(status.clockOffsetMs) / 60_000) },
          )}
        </Alert>
      )}
      {status.lastError !== null && (
        <Alert
          color={status.state === "offline" ? "warning" : "danger"}
          data-code={status.lastError.code}
        >
          {status.lastError.message}
        </Alert>
      )}
      {enrollment !== null && status.state !== "stopped" && (
        <Button color="primary" onClick={() => syncNow.mutate()} disabled={syncNow.isPending}>
          {t("action-sync-now")}
        </Button>
      )}
    </section>
  );
}
