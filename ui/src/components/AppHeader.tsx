import { Header, HeaderBrand, HeaderContent, HeaderRightZone, Headers } from "design-react-kit";
import { NavLink } from "react-router-dom";
import { useT } from "../i18n/Localization";
import { useAppInfo } from "../queries";
import { LanguageSwitch } from "./LanguageSwitch";
import { PersonSearch } from "./PersonSearch";
import { SessionBar } from "./SessionBar";

/** The Designers Italia header: Ambito and language, product name, main navigation. */
export function AppHeader({ ambitoName }: { ambitoName: string }) {
  const t = useT();
  const info = useAppInfo().data;
  const unlocked = info?.session.state === "unlocked";
  const navClass = ({ isActive }: { isActive: boolean }) => `nav-link${isActive ? " active" : ""}`;
  return (
    <header>
      <Headers>
        <Header type="slim" theme="">
          <HeaderContent>
            <HeaderBrand tag="span" responsive>
              {info?.demo && (
                <span
                  className="porta-demo-badge me-2"
                  title={t("demo-badge-label")}
                  data-testid="demo-badge"
                >
                  {t("demo-badge")}
                  <span className="visually-hidden">: {t("demo-badge-label")}</span>
                </span>
              )}
              {ambitoName}
            </HeaderBrand>
            <HeaderRightZone>
              <div className="d-flex flex-wrap align-items-center gap-4">
                <SessionBar />
                <LanguageSwitch />
              </div>
            </HeaderRightZone>
          </HeaderContent>
        </Header>
        <div className="it-nav-wrapper">
          <Header type="center" theme="">
            <HeaderContent>
              <HeaderBrand tag="div">
                <div className="it-brand-text">
                  <div className="it-brand-title">{t("app-title")}</div>
                  <div className="it-brand-tagline d-none d-lg-block">{t("app-tagline")}</div>
                </div>
              </HeaderBrand>
              {unlocked && (
                <div className="it-right-zone">
                  <PersonSearch />
                </div>
              )}
            </HeaderContent>
          </Header>
          <Header type="navbar" theme="">
            <HeaderContent expand megamenu={false} aria-label={t("nav-label")}>
              <ul className="navbar-nav porta-main-nav">
                <li className="nav-item">
                  <NavLink to="/" end className={navClass}>
                    {t("nav-home")}
                  </NavLink>
                </li>
                {unlocked && (
                  <li className="nav-item">
                    <NavLink to="/contact" className={navClass}>
                      {t("nav-quick-contact")}
                    </NavLink>
                  </li>
                )}
                {unlocked && (
                  <li className="nav-item">
                    <NavLink to="/practices" className={navClass}>
                      {t("nav-practices")}
                    </NavLink>
                  </li>
                )}
                {unlocked && (
                  <li className="nav-item">
                    <NavLink to="/agenda" className={navClass}>
                      {t("nav-agenda")}
                    </NavLink>
                  </li>
                )}
                {unlocked && (
                  <li className="nav-item">
                    <NavLink to="/directory" className={navClass}>
                      {t("nav-directory")}
                    </NavLink>
                  </li>
                )}
                {unlocked && (
                  <li className="nav-item">
                    <NavLink to="/new-person" className={navClass}>
                      {t("nav-new-person")}
                    </NavLink>
                  </li>
                )}
                {unlocked && (
                  <li className="nav-item">
                    <NavLink to="/conflicts" className={navClass}>
                      {t("folder-conflicts")}
                    </NavLink>
                  </li>
                )}
                {info?.session.state === "unlocked" &&
                  info.session.operator.role === "administrator" && (
                    <li className="nav-item">
                      <NavLink to="/settings" className={navClass}>
                        {t("nav-settings")}
                      </NavLink>
                    </li>
                  )}
                <li className="nav-item">
                  <NavLink to="/sync" className={navClass}>
                    {t("nav-sync")}
                  </NavLink>
                </li>
                <li className="nav-item">
                  <NavLink to="/about" className={navClass}>
                    {t("nav-about")}
                  </NavLink>
                </li>
              </ul>
            </HeaderContent>
          </Header>
        </div>
      </Headers>
    </header>
  );
}
