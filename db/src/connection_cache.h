#ifndef LIMS_DB_SRC_CONNECTION_CACHE_H_
#define LIMS_DB_SRC_CONNECTION_CACHE_H_

#include <map>
#include <memory>
#include <typeindex>
#include <utility>

namespace soci {
class session;
}

namespace lims::db {

// Per pooled connection state that outlives one call: prepared statements of hot queries, so
// that a bench scan does not pay SQLite's parse-and-plan (most of its cost) on every call.
// T is made from the soci::session& (and what else Get is given) the first time. Used by one
// thread at a time, like its session.
class ConnectionCache {
 public:
  template <typename T, typename... Args>
  T& Get(soci::session& session, Args&&... args) {
    std::unique_ptr<Item>& slot = items_[std::type_index(typeid(T))];
    if (!slot) slot = std::make_unique<Holder<T>>(session, std::forward<Args>(args)...);
    return static_cast<Holder<T>*>(slot.get())->value;
  }

  // Drops a cached T, e.g. a statement left in an unknown state by an error.
  template <typename T>
  void Erase() {
    items_.erase(std::type_index(typeid(T)));
  }

 private:
  struct Item {
    virtual ~Item() = default;
  };
  template <typename T>
  struct Holder : Item {
    template <typename... Args>
    explicit Holder(soci::session& session, Args&&... args)
        : value(session, std::forward<Args>(args)...) {}
    T value;
  };
  std::map<std::type_index, std::unique_ptr<Item>> items_;
};

}  // namespace lims::db

#endif  // LIMS_DB_SRC_CONNECTION_CACHE_H_
