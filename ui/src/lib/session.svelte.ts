// App-wide state: what the backend said at start, the current mission, and
// a data version that every committed write bumps (through the store's
// change event), so that open views reload without polling.
import { listen } from '@tauri-apps/api/event'
import { AppError, api, toAppError } from './api'
import { EVENTS, type AppInfo, type Change, type ErrorBody, type Mission, type Reminder, type StartSnapshot } from './bindings'
import { showReminders } from './reminders'

const MISSION_KEY = 'mission-crm.current-mission'
/** Set by the app before the page's scripts run (`START_GLOBAL` in src-tauri/src/lib.rs). */
const START_GLOBAL = '__MISSION_CRM_START__'

class Session {
  info = $state<AppInfo | null>(null)
  startError = $state<AppError | null>(null)
  missions = $state<Mission[]>([])
  currentMissionId = $state<string | null>(localStorage.getItem(MISSION_KEY))
  version = $state(0)

  currentMission = $derived(this.missions.find((m) => m.id === this.currentMissionId) ?? null)

  async start() {
    // The first screen from the app's start snapshot, without waiting for
    // IPC; the answers below replace it a moment later (also after a
    // reload, when the snapshot is the one taken at the app's start).
    const snapshot = (window as unknown as Record<string, StartSnapshot | undefined>)[START_GLOBAL]
    if (snapshot) this.apply(snapshot.info, snapshot.missions)
    try {
      // Listened to before asking, so a check ending in between is not missed.
      // The page check after start found the file damaged: every command
      // now refuses, so show why and offer the newest good backup.
      await listen<ErrorBody>(EVENTS.damaged, (e) => {
        this.startError = new AppError(e.payload)
      })
      // Listening first, so no change committed after the reads below is
      // missed; each group at once, since each call is a round trip.
      await Promise.all([
        listen<Change[]>(EVENTS.change, () => {
          this.version += 1
          void this.refreshMissions()
        }),
        listen<Reminder[]>(EVENTS.reminder, (e) => showReminders(e.payload)),
      ])
      const [info, missions] = await Promise.all([api.appInfo(), api.listMissions().catch(() => null)])
      if (!this.apply(info, missions)) await this.refreshMissions()
      performance.mark('session-ready')
    } catch (e) {
      this.startError = toAppError(e)
    }
  }

  /** Shows what the app said at start; false when the missions are still to be read. */
  private apply(info: AppInfo, missions: Mission[] | null): boolean {
    this.info = info
    // The database could not be opened: say why instead of showing empty lists.
    if (info.open_error) {
      this.startError = new AppError(info.open_error)
      return true
    }
    if (missions) this.setMissions(missions)
    return missions !== null
  }

  /** A bulk write (an import) announces no per-record changes: reload all. */
  changed() {
    this.version += 1
    void this.refreshMissions()
  }

  async refreshMissions() {
    this.setMissions(await api.listMissions())
  }

  private setMissions(missions: Mission[]) {
    this.missions = missions
    if (this.currentMission) return
    // The current one is gone (to the trash, or its creation taken back):
    // another, or none. Lists filtered by a dead id showed its records and
    // hid the control that unticks the filter.
    if (this.missions.length > 0) this.selectMission(this.missions[0].id)
    else {
      this.currentMissionId = null
      localStorage.removeItem(MISSION_KEY)
    }
  }

  selectMission(id: string) {
    this.currentMissionId = id
    localStorage.setItem(MISSION_KEY, id)
  }
}

export const session = new Session()
