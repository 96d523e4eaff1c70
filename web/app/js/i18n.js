// English and French. The accessible names tests rely on ("Barcode", "Log in", the menu) are
// English; in French the visible text changes and the stable English name stays in aria-label.
const STRINGS = {
  en: {
    'app.language': 'Français',
    'nav.Scan': 'Scan', 'nav.Box': 'Box', 'nav.Collect': 'Collect', 'nav.Racks': 'Racks',
    'nav.Shipments': 'Shipments', 'nav.Requests': 'Requests',
    'login.title': 'Log in to the LIMS', 'login.username': 'Username',
    'login.password': 'Password', 'login.submit': 'Log in', 'logout': 'Log out',
    'login.expired': 'Your session ended; please log in again.',
    'error.network': 'The LIMS server cannot be reached; check the network and try again.',
    'barcode': 'Barcode', 'scan.hint': 'Scan a tube (or type its code and press Enter).',
    'sample.type': 'Type', 'sample.quantity': 'Quantity', 'sample.status': 'Status',
    'sample.patient': 'Patient', 'sample.protocol': 'Protocol', 'sample.timepoint': 'Timepoint',
    'sample.consent': 'Consent', 'sample.freezeThaw': 'Freeze–thaw cycles',
    'sample.location': 'Where', 'sample.notStored': 'not in a box',
    'sample.outOfWindow': 'collected outside its window', 'sample.parent': 'Parent',
    'consent.withdrawn': 'WITHDRAWN', 'consent.none': 'none recorded',
    'box.title': 'Box', 'box.open': 'Open the box of a tube', 'box.browse': 'Or browse',
    'box.choose': 'choose…', 'box.mode': 'What a scan does',
    'box.mode.place': 'Fill: place into the selected or next free well',
    'box.mode.move': 'Move here (from another well or box)',
    'box.mode.return': 'Return here after use', 'box.mode.retrieve': 'Retrieve (take out)',
    'box.thawed': 'The tube was thawed', 'box.reason': 'Reason',
    'box.reasonNeeded': 'Give a reason before retrieving a tube.',
    'box.full': 'The box has no free well left.', 'box.selected': 'Selected well',
    'box.placed': '{barcode} placed in {position}', 'box.moved': '{barcode} moved to {position}',
    'box.returned': '{barcode} returned to {position}', 'box.retrieved': '{barcode} taken out of {position}',
    'box.empty': 'empty', 'box.used': '{used} of {total} wells used',
    'collect.title': 'Collect and aliquot', 'collect.registryId': 'Patient registry id',
    'collect.find': 'Find', 'collect.enrollment': 'Enrollment', 'collect.timepoint': 'Timepoint',
    'collect.window': 'Window {from} to {to}', 'collect.outside': 'Collected outside this window',
    'collect.collectedAt': 'Collected at',
    'collect.type': 'Sample type', 'collect.volume': 'Volume', 'collect.unit': 'Unit',
    'collect.prePrinted': 'Pre-printed code (optional)', 'collect.register': 'Register the primary tube',
    'collect.registered': 'Primary tube {barcode} registered',
    'collect.aliquots': 'Aliquots', 'collect.count': 'How many', 'collect.each': 'Volume each',
    'collect.derive': 'Make the aliquots', 'collect.derived': '{count} aliquots made from {barcode}',
    'collect.printer': 'Printer', 'collect.print': 'Print the labels',
    'collect.printed': '{count} labels sent to {printer}', 'collect.noPrinter': 'no printer registered',
    'collect.noEnrollment': 'This patient is not enrolled in a protocol.',
    'racks.title': 'Rack audit', 'racks.box': 'Box to check', 'racks.file': 'Rack picture or scanner CSV',
    'racks.mirrored': 'Picture taken from below (mirrored)', 'racks.read': 'Read the rack',
    'racks.apply': 'Apply to the LIMS', 'racks.applied': '{count} changes applied',
    'racks.matched': 'matched', 'racks.missing': 'missing', 'racks.misplaced': 'misplaced',
    'racks.unexpected': 'unexpected', 'racks.unreadable': 'unreadable', 'racks.a1': 'A1 decided by {how}',
    'racks.recordedAt': 'the LIMS has it at {where}',
    'ship.title': 'Receive a shipment', 'ship.manifest': 'Manifest file (JSON)',
    'ship.import': 'Open the manifest', 'ship.incoming': 'Or an incoming shipment',
    'ship.condition': 'Condition of the next tube', 'ship.received': 'Received',
    'ship.missing': 'Still missing', 'ship.unexpected': 'Unexpected', 'ship.resolve': 'Resolve',
    'ship.close': 'Close the shipment', 'ship.closed': 'Shipment closed',
    'ship.resolveReason': 'Why (e.g. not in the box, reported to sender)',
    'condition.ok': 'OK', 'condition.thawed': 'Thawed', 'condition.damaged': 'Damaged',
    'req.title': 'Pick a request', 'req.choose': 'Approved request', 'req.remaining': '{count} tubes still to pick',
    'req.picked': '{barcode} picked', 'req.done': 'Every tube of this request is picked.',
    'req.none': 'No approved request to pick.', 'req.position': 'Position',
    'ok': 'OK',
  },
  fr: {
    'app.language': 'English',
    'nav.Scan': 'Scanner', 'nav.Box': 'Boîte', 'nav.Collect': 'Prélever', 'nav.Racks': 'Racks',
    'nav.Shipments': 'Envois', 'nav.Requests': 'Demandes',
    'login.title': 'Connexion au LIMS', 'login.username': 'Identifiant',
    'login.password': 'Mot de passe', 'login.submit': 'Se connecter', 'logout': 'Se déconnecter',
    'login.expired': 'Votre session a pris fin ; reconnectez-vous.',
    'error.network': 'Le serveur LIMS est injoignable ; vérifiez le réseau et réessayez.',
    'barcode': 'Code-barres', 'scan.hint': 'Scannez un tube (ou tapez son code puis Entrée).',
    'sample.type': 'Type', 'sample.quantity': 'Quantité', 'sample.status': 'Statut',
    'sample.patient': 'Patient', 'sample.protocol': 'Protocole', 'sample.timepoint': 'Visite',
    'sample.consent': 'Consentement', 'sample.freezeThaw': 'Cycles congélation–décongélation',
    'sample.location': 'Emplacement', 'sample.notStored': 'hors boîte',
    'sample.outOfWindow': 'prélevé hors fenêtre', 'sample.parent': 'Parent',
    'consent.withdrawn': 'RETIRÉ', 'consent.none': 'aucun enregistré',
    'box.title': 'Boîte', 'box.open': "Ouvrir la boîte d'un tube", 'box.browse': 'Ou parcourir',
    'box.choose': 'choisir…', 'box.mode': 'Action du scan',
    'box.mode.place': 'Remplir : dans le puits choisi ou le suivant libre',
    'box.mode.move': 'Déplacer ici (depuis un autre puits ou une autre boîte)',
    'box.mode.return': 'Remettre ici après usage', 'box.mode.retrieve': 'Sortir le tube',
    'box.thawed': 'Le tube a été décongelé', 'box.reason': 'Motif',
    'box.reasonNeeded': 'Indiquez un motif avant de sortir un tube.',
    'box.full': "La boîte n'a plus de puits libre.", 'box.selected': 'Puits choisi',
    'box.placed': '{barcode} rangé en {position}', 'box.moved': '{barcode} déplacé en {position}',
    'box.returned': '{barcode} remis en {position}', 'box.retrieved': '{barcode} sorti de {position}',
    'box.empty': 'vide', 'box.used': '{used} puits occupés sur {total}',
    'collect.title': 'Prélever et aliquoter', 'collect.registryId': 'Identifiant registre du patient',
    'collect.find': 'Chercher', 'collect.enrollment': 'Inclusion', 'collect.timepoint': 'Visite',
    'collect.window': 'Fenêtre du {from} au {to}', 'collect.outside': 'Prélevé hors de cette fenêtre',
    'collect.collectedAt': 'Prélevé le',
    'collect.type': "Type d'échantillon", 'collect.volume': 'Volume', 'collect.unit': 'Unité',
    'collect.prePrinted': 'Code pré-imprimé (facultatif)', 'collect.register': 'Enregistrer le tube primaire',
    'collect.registered': 'Tube primaire {barcode} enregistré',
    'collect.aliquots': 'Aliquots', 'collect.count': 'Combien', 'collect.each': 'Volume de chacun',
    'collect.derive': 'Faire les aliquots', 'collect.derived': '{count} aliquots faits depuis {barcode}',
    'collect.printer': 'Imprimante', 'collect.print': 'Imprimer les étiquettes',
    'collect.printed': '{count} étiquettes envoyées à {printer}', 'collect.noPrinter': 'aucune imprimante',
    'collect.noEnrollment': "Ce patient n'est inclus dans aucun protocole.",
    'racks.title': 'Contrôle de rack', 'racks.box': 'Boîte à contrôler', 'racks.file': 'Photo du rack ou CSV du scanner',
    'racks.mirrored': 'Photo prise par-dessous (inversée)', 'racks.read': 'Lire le rack',
    'racks.apply': 'Appliquer au LIMS', 'racks.applied': '{count} changements appliqués',
    'racks.matched': 'conforme', 'racks.missing': 'manquant', 'racks.misplaced': 'mal placé',
    'racks.unexpected': 'inattendu', 'racks.unreadable': 'illisible', 'racks.a1': 'A1 déterminé par {how}',
    'racks.recordedAt': 'le LIMS le place en {where}',
    'ship.title': 'Réceptionner un envoi', 'ship.manifest': 'Fichier manifeste (JSON)',
    'ship.import': 'Ouvrir le manifeste', 'ship.incoming': 'Ou un envoi attendu',
    'ship.condition': 'État du prochain tube', 'ship.received': 'Reçus',
    'ship.missing': 'Encore manquants', 'ship.unexpected': 'Inattendus', 'ship.resolve': 'Régler',
    'ship.close': "Clore l'envoi", 'ship.closed': 'Envoi clos',
    'ship.resolveReason': "Pourquoi (p. ex. absent du colis, signalé à l'expéditeur)",
    'condition.ok': 'Bon', 'condition.thawed': 'Décongelé', 'condition.damaged': 'Endommagé',
    'req.title': 'Préparer une demande', 'req.choose': 'Demande approuvée', 'req.remaining': 'Encore {count} tubes à sortir',
    'req.picked': '{barcode} sorti', 'req.done': 'Tous les tubes de la demande sont sortis.',
    'req.none': 'Aucune demande approuvée à préparer.', 'req.position': 'Position',
    'ok': 'OK',
  },
};

let language = localStorage.getItem('lims.language') ||
    (navigator.language && navigator.language.startsWith('fr') ? 'fr' : 'en');

export function currentLanguage() {
  return language;
}

export function setLanguage(next) {
  language = STRINGS[next] ? next : 'en';
  localStorage.setItem('lims.language', language);
  document.documentElement.lang = language;
}

// t('box.placed', {barcode, position})
export function t(key, values = {}) {
  const text = STRINGS[language][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

// The English text of a key: the stable accessible name of a control.
export function en(key) {
  return STRINGS.en[key] ?? key;
}
